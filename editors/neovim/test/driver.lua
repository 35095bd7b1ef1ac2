-- Headless end-to-end test of the Neovim setup (editors/neovim/lua/playbook.lua) against a real
-- `playbook lsp`. run.sh prepares a copy of playbooks/ with a known mistake and starts
--   nvim --headless --clean -c "luafile driver.lua"
-- with PLAYBOOK_BIN (the binary), PLAYBOOK_NVIM_DIR (editors/neovim), TEST_FILE (the playbook
-- to open), TEST_LOG (where the findings are written). Every check is made here; the exit code
-- is 0 when all of them pass, 1 otherwise.
local log_lines = {}
local failures = 0

local function log(msg)
  table.insert(log_lines, msg)
end

local function check(ok, what, detail)
  if ok then
    log("ok   " .. what)
  else
    failures = failures + 1
    log("FAIL " .. what .. (detail and (": " .. detail) or ""))
  end
end

local function finish()
  local f = io.open(os.getenv("TEST_LOG"), "w")
  if f then
    f:write(table.concat(log_lines, "\n") .. "\n")
    f:close()
  end
  vim.cmd(failures == 0 and "qall!" or "cquit! 1")
end

local function ms_since(t)
  return math.floor((vim.loop.hrtime() - t) / 1e6)
end

local function run()
  log("neovim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor)
    .. "." .. tostring(vim.version().patch))
  vim.opt.runtimepath:prepend(os.getenv("PLAYBOOK_NVIM_DIR"))
  require("playbook").setup({ cmd = { os.getenv("PLAYBOOK_BIN"), "lsp" } })

  local started = vim.loop.hrtime()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("TEST_FILE")))
  local buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == "yaml", "the playbook is a yaml buffer", vim.bo[buf].filetype)

  local client
  vim.wait(10000, function()
    for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
      if c.name == "playbook" and c.initialized then
        client = c
        return true
      end
    end
    return false
  end, 20)
  check(client ~= nil, "the setup attached a `playbook` client to the buffer")
  if client == nil then
    return
  end

  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  -- 0-based line and character (byte) of the first occurrence of needle; the character is
  -- the needle's first byte, or the byte just after it when `after`.
  local function pos_of(needle, after)
    for i, l in ipairs(lines) do
      local s, e = string.find(l, needle, 1, true)
      if s then
        return { line = i - 1, character = after and e or (s - 1) }
      end
    end
    error("not in the test file: " .. needle)
  end

  -- Diagnostics: the misspelt parameter read (PB301) on its line.
  local mistake = pos_of("$.params.RedisHots", false)
  local got = vim.wait(20000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 20)
  log("diagnostics after " .. ms_since(started) .. " ms")
  check(got, "diagnostics arrive")
  local found
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    log("     diagnostic line " .. (d.lnum + 1) .. ": [" .. tostring(code) .. "] " .. d.message)
    if code == "PB301" and d.lnum == mistake.line then
      found = d
    end
  end
  check(found ~= nil, "PB301 on line " .. (mistake.line + 1) .. " (the misspelt read)")
  if found then
    check(found.message:find("RedisHots", 1, true) ~= nil, "its message names `RedisHots`", found.message)
    check(found.severity == vim.diagnostic.severity.ERROR, "it is an error")
  end

  local uri = vim.uri_from_bufnr(buf)
  local function ask(method, params)
    local t = vim.loop.hrtime()
    local res = vim.lsp.buf_request_sync(buf, method, params, 10000)
    log(method .. " answered in " .. ms_since(t) .. " ms")
    if res == nil then
      return nil
    end
    for _, r in pairs(res) do
      if r.result ~= nil then
        return r.result
      end
    end
    return nil
  end
  local function at(pos)
    return { textDocument = { uri = uri }, position = pos }
  end

  -- Completion just after `{{ $.params.` lists the playbook's parameters.
  local completion = ask("textDocument/completion", at(pos_of('runner: "{{ $.params.', true)))
  local labels = {}
  for _, it in ipairs((completion and (completion.items or completion)) or {}) do
    labels[it.label] = true
  end
  for _, p in ipairs({ "RedisHost", "RedisPort", "RedisPassword", "SlackChannel", "runner" }) do
    check(labels[p], "completion after `{{ $.params.` lists " .. p)
  end

  -- Hover on a parameter read shows its description.
  local hover = ask("textDocument/hover", at(pos_of("RedisPort }}", false)))
  local text = hover and hover.contents and (hover.contents.value or vim.fn.json_encode(hover.contents)) or ""
  check(text:find("TCP port of the Redis server", 1, true) ~= nil, "hover on $.params.RedisPort shows its description", text)

  -- Definition of a parameter read is its declaration.
  local def = ask("textDocument/definition", at(pos_of("RedisPort }}", false)))
  local loc = def and (def[1] or def)
  local range = loc and (loc.targetSelectionRange or loc.range or loc.targetRange)
  local decl = pos_of("- name: RedisPort", false)
  check(range ~= nil and range.start.line == decl.line,
    "definition of $.params.RedisPort is line " .. (decl.line + 1), vim.fn.json_encode(def))

  -- Formatting answers with the edits that lay the file out (run.sh misaligned one line).
  local edits = ask("textDocument/formatting", {
    textDocument = { uri = uri },
    options = { tabSize = 2, insertSpaces = true },
  })
  check(type(edits) == "table" and #edits > 0, "formatting answers with edits", vim.fn.json_encode(edits))
  if type(edits) == "table" and #edits > 0 then
    vim.lsp.util.apply_text_edits(edits, buf, client.offset_encoding or "utf-16")
    local after = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") .. "\n"
    local f = io.open(os.getenv("TEST_FORMATTED"), "r")
    local want = f and f:read("*a") or ""
    if f then
      f:close()
    end
    check(after == want, "the edited buffer is what `playbook fmt` writes")
  end
end

local ok, err = pcall(run)
if not ok then
  failures = failures + 1
  log("FAIL the driver stopped: " .. tostring(err))
end
finish()
