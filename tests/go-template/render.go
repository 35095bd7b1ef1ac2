// Renders templates with Go's text/template and sprig, as the platform does, for the
// differential test of the playbook-eval crate (crates/playbook-eval/tests/differential.rs).
//
// Input on stdin: one JSON object per line, {"template": TEXT, "data": JSON}.
// Output on stdout: one JSON object per line, in the same order, one of
//   {"output": TEXT}
//   {"parse_error": MESSAGE}
//   {"exec_error": TAIL, "full": MESSAGE}
// where TAIL is the message after Go's `template: t:L:C: executing "t" at <...>: ` prefix.
//
// Build offline with Debian's packages (golang-go, golang-github-masterminds-sprig-dev):
//   GOPATH=/usr/share/gocode GO111MODULE=off go build -o render render.go
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
)

type input struct {
	Template string      `json:"template"`
	Data     interface{} `json:"data"`
}

type output struct {
	Output     *string `json:"output,omitempty"`
	ParseError *string `json:"parse_error,omitempty"`
	ExecError  *string `json:"exec_error,omitempty"`
	Full       *string `json:"full,omitempty"`
}

// get reads a path of the data ("$.a.b" or "a.b"); missing parts give nil.
func get(root interface{}) func(string) interface{} {
	return func(path string) interface{} {
		path = strings.TrimPrefix(strings.TrimPrefix(path, "$"), ".")
		current := root
		if path == "" {
			return current
		}
		for _, part := range strings.Split(path, ".") {
			m, ok := current.(map[string]interface{})
			if !ok {
				return nil
			}
			current = m[part]
		}
		return current
	}
}

func platform(root interface{}) template.FuncMap {
	return template.FuncMap{
		"secret": func(name string) string { return "<secret:" + name + ">" },
		"get":    get(root),
		"ieq":    func(a, b string) bool { return strings.EqualFold(a, b) },
		"ine":    func(a, b string) bool { return !strings.EqualFold(a, b) },
	}
}

// tail cuts Go's location prefix off an execution error.
func tail(message string) string {
	if at := strings.Index(message, " at <"); at >= 0 && strings.Contains(message[:at], "executing ") {
		if end := strings.Index(message[at:], ">: "); end >= 0 {
			return message[at+end+3:]
		}
	}
	if strings.HasPrefix(message, "template: ") {
		rest := message[len("template: "):]
		// `template: t:1:2: message` or `template: t: message`
		parts := strings.SplitN(rest, ": ", 2)
		if len(parts) == 2 {
			return parts[1]
		}
	}
	return message
}

func render(in input) (result output) {
	defer func() {
		if r := recover(); r != nil {
			message := fmt.Sprint(r)
			result = output{ExecError: &message, Full: &message}
		}
	}()
	t, err := template.New("t").Funcs(sprig.TxtFuncMap()).Funcs(platform(in.Data)).Parse(in.Template)
	if err != nil {
		message := err.Error()
		return output{ParseError: &message}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, in.Data); err != nil {
		full := err.Error()
		short := tail(full)
		return output{ExecError: &short, Full: &full}
	}
	text := buf.String()
	return output{Output: &text}
}

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1024*1024), 64*1024*1024)
	writer := bufio.NewWriter(os.Stdout)
	defer writer.Flush()
	encoder := json.NewEncoder(writer)
	encoder.SetEscapeHTML(false)
	for scanner.Scan() {
		var in input
		var result output
		if err := json.Unmarshal(scanner.Bytes(), &in); err != nil {
			message := "bad input line: " + err.Error()
			result = output{ParseError: &message}
		} else {
			result = render(in)
		}
		if err := encoder.Encode(result); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := scanner.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
