//! The data flow as an SVG picture, laid out by playbook itself: no Graphviz needed.
//!
//! The layout is `layout-rs`'s (a Sugiyama-style layered layout in pure Rust, as Graphviz's
//! `dot` does): nodes in ranks, edge crossings reduced, labelled edges routed through label
//! nodes. It has no clusters, so the steps are chained in execution order by invisible
//! edges (a playbook runs top to bottom, and a block's or a loop's steps then sit in
//! consecutive ranks), and each block and loop is drawn here, after the layout, as a
//! rounded frame around its head node and its steps. Drawing is ours too ([`Canvas`], a
//! `layout-rs` render backend): deterministic output, a sans-serif font, text escaped for
//! XML, frames behind the nodes, and the picture shifted so that every frame fits.
//!
//! `layout-rs` asserts its invariants with panics; a panic in the layout becomes an error
//! (asking for `--format dot`), never a crash.

use std::fmt::Write as _;

use layout::adt::dag::NodeHandle;
use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;
use playbook_ide::graph::{Flow, Node};

use super::{
    Item, children, group_lines, group_title, param_lines, playbook_title, root_only, step_lines,
};

/// The font of node text, in pixels, and the width of one of its characters (an estimate
/// for a sans-serif font, used to size the boxes).
const FONT: f64 = 13.;
const CHAR_WIDTH: f64 = 7.6;
const LINE_HEIGHT: f64 = 17.;
/// The font of edge labels.
const LABEL_FONT: f64 = 11.;
/// `layout-rs` sizes an edge label `font_size` per character: this makes its label nodes
/// about as wide as the text drawn at [`LABEL_FONT`].
const LABEL_LAYOUT_SIZE: usize = 7;
/// Marks a node's text (edge labels are drawn with [`LABEL_LAYOUT_SIZE`]).
const NODE_LAYOUT_SIZE: usize = 13;
/// The space between a frame and what it holds, and above it for its title.
const FRAME_PAD: f64 = 10.;
const FRAME_TITLE: f64 = 18.;

/// The SVG picture of `flows`, or why it could not be laid out.
pub fn render(flows: &[Flow]) -> Result<String, String> {
    let flows = flows.to_vec();
    std::panic::catch_unwind(move || draw(&flows)).map_err(|_| {
        "the SVG layout failed on this playbook; use `--format dot` and Graphviz instead".to_owned()
    })
}

/// A frame drawn behind the nodes: a block, a loop or a playbook.
struct Frame {
    title: String,
    /// Top left and bottom right.
    rect: (Point, Point),
    dashed: bool,
    depth: usize,
}

fn draw(flows: &[Flow]) -> String {
    let mut vg = VisualGraph::new(Orientation::TopToBottom);
    // The handles of each flow's parameters, steps and group heads.
    let mut handles: Vec<Handles> = Vec::new();
    for flow in flows {
        let params: Vec<NodeHandle> = flow
            .parameters
            .iter()
            .map(|p| {
                let look = if !p.declared {
                    look("#c0392b", "#fdecea", 12)
                } else if !p.read {
                    look("#b8860b", "#fffaf0", 12)
                } else {
                    look("#4a72a8", "#eef4fb", 12)
                };
                vg.add_node(node(&param_lines(p), look))
            })
            .collect();
        let steps: Vec<NodeHandle> = flow
            .steps
            .iter()
            .map(|s| {
                let look = if s.never_runs.is_some() {
                    look("#999999", "#f2f2f2", 0)
                } else if !s.unused_outputs.is_empty() {
                    look("#b8860b", "#ffffff", 0)
                } else {
                    look("#333333", "#ffffff", 0)
                };
                vg.add_node(node(&step_lines(flow, s), look))
            })
            .collect();
        let groups: Vec<NodeHandle> = flow
            .groups
            .iter()
            .map(|g| {
                let look = if g.never_runs.is_some() {
                    look("#999999", "#f2f2f2", 8)
                } else {
                    look("#4a72a8", "#f5f8fc", 8)
                };
                vg.add_node(node(&group_lines(flow, g), look))
            })
            .collect();
        let handles_of = Handles {
            params,
            steps,
            groups,
        };
        // Data edges.
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for edge in &flow.edges {
            let (Some(from), Some(to)) = (handles_of.get(edge.from), handles_of.get(edge.to))
            else {
                continue;
            };
            let mut arrow = Arrow::simple(&edge.label());
            arrow.look = edge_look();
            if root_only(edge) {
                arrow.line_style = LineStyleKind::Dashed;
            }
            vg.add_edge(arrow, from, to);
            pairs.push((from.get_index(), to.get_index()));
        }
        // Execution order: each step and group head after the one before.
        let order = execution_order(flow, &handles_of);
        for pair in order.windows(2) {
            let [a, b] = pair else { continue };
            let key = (a.get_index(), b.get_index());
            if !pairs.contains(&key) && !pairs.contains(&(key.1, key.0)) {
                vg.add_edge(invisible(), *a, *b);
                pairs.push(key);
            }
        }
        handles.push(handles_of);
    }
    let mut canvas = Canvas::default();
    vg.do_it(false, false, false, &mut canvas);

    // The frames, from the laid-out nodes.
    let mut frames = Vec::new();
    for (flow, handles) in flows.iter().zip(&handles) {
        let depth = usize::from(flows.len() > 1);
        let mut top = Vec::new();
        for item in children(flow, None) {
            if let Some(rect) = frame(flow, handles, &vg, item, depth, &mut frames, 0) {
                top.push(rect);
            }
        }
        for &p in &handles.params {
            top.push(vg.pos(p).bbox(false));
        }
        if flows.len() > 1
            && let Some(rect) = union(&top)
        {
            frames.push(Frame {
                title: playbook_title(flow),
                rect: pad(rect),
                dashed: false,
                depth: 0,
            });
        }
    }
    canvas.finish(&frames)
}

/// The nodes of one flow in the layout.
struct Handles {
    params: Vec<NodeHandle>,
    steps: Vec<NodeHandle>,
    groups: Vec<NodeHandle>,
}

impl Handles {
    fn get(&self, node: Node) -> Option<NodeHandle> {
        match node {
            Node::Param(i) => self.params.get(i).copied(),
            Node::Step(i) => self.steps.get(i).copied(),
            Node::Group(i) => self.groups.get(i).copied(),
        }
    }
}

/// The steps and group heads in source order (a group's head before its steps).
fn execution_order(flow: &Flow, handles: &Handles) -> Vec<NodeHandle> {
    let mut out = Vec::new();
    let mut stack: Vec<(Option<usize>, usize)> = vec![(None, 0)];
    // Walk without recursion: (group, next child index).
    let mut lists: Vec<Vec<Item>> = vec![children(flow, None)];
    while let (Some((_, next)), Some(list)) = (stack.last_mut(), lists.last()) {
        let Some(item) = list.get(*next).copied() else {
            stack.pop();
            lists.pop();
            continue;
        };
        *next += 1;
        match item {
            Item::Step(i) => out.extend(handles.steps.get(i).copied()),
            Item::Group(g) => {
                out.extend(handles.groups.get(g).copied());
                if stack.len() < 64 {
                    stack.push((Some(g), 0));
                    lists.push(children(flow, Some(g)));
                }
            }
        }
    }
    out
}

/// The frame of a group (pushed to `frames`, inner frames first), and the box of `item`.
fn frame(
    flow: &Flow,
    handles: &Handles,
    vg: &VisualGraph,
    item: Item,
    depth: usize,
    frames: &mut Vec<Frame>,
    level: usize,
) -> Option<(Point, Point)> {
    match item {
        Item::Step(i) => handles.steps.get(i).map(|&h| vg.pos(h).bbox(false)),
        Item::Group(g) => {
            let group = flow.groups.get(g)?;
            let mut boxes: Vec<(Point, Point)> = Vec::new();
            boxes.extend(handles.groups.get(g).map(|&h| vg.pos(h).bbox(false)));
            if level < 64 {
                for child in children(flow, Some(g)) {
                    boxes.extend(frame(
                        flow,
                        handles,
                        vg,
                        child,
                        depth + 1,
                        frames,
                        level + 1,
                    ));
                }
            }
            let rect = pad(union(&boxes)?);
            frames.push(Frame {
                title: group_title(group),
                rect,
                dashed: group.never_runs.is_some(),
                depth: depth + 1,
            });
            Some(rect)
        }
    }
}

fn union(boxes: &[(Point, Point)]) -> Option<(Point, Point)> {
    let first = boxes.first()?;
    Some(boxes.iter().fold(*first, |(a, b), (c, d)| {
        (
            Point::new(a.x.min(c.x), a.y.min(c.y)),
            Point::new(b.x.max(d.x), b.y.max(d.y)),
        )
    }))
}

fn pad((a, b): (Point, Point)) -> (Point, Point) {
    (
        Point::new(a.x - FRAME_PAD, a.y - FRAME_PAD - FRAME_TITLE),
        Point::new(b.x + FRAME_PAD, b.y + FRAME_PAD),
    )
}

fn color(web: &str) -> Color {
    Color::from_name(web).unwrap_or_else(|| Color::new(0x000000ff))
}

fn look(line: &str, fill: &str, rounded: usize) -> StyleAttr {
    StyleAttr::new(color(line), 1, Some(color(fill)), rounded, NODE_LAYOUT_SIZE)
}

fn edge_look() -> StyleAttr {
    StyleAttr::new(color("#555555"), 1, None, 0, LABEL_LAYOUT_SIZE)
}

fn invisible() -> Arrow {
    Arrow::new(
        LineEndKind::None,
        LineEndKind::None,
        LineStyleKind::None,
        "",
        &edge_look(),
        &None,
        &None,
    )
}

/// A box holding `lines`, sized for them.
fn node(lines: &[String], look: StyleAttr) -> Element {
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64;
    let size = Point::new(
        width * CHAR_WIDTH + 20.,
        lines.len().max(1) as f64 * LINE_HEIGHT + 12.,
    );
    Element::create(
        ShapeKind::new_box(&lines.join("\n")),
        look,
        Orientation::TopToBottom,
        size,
    )
}

/// A render backend writing SVG elements, with the extent of what it drew.
#[derive(Default)]
struct Canvas {
    body: String,
    clips: String,
    clip_count: usize,
    min: Option<Point>,
    max: Option<Point>,
}

impl Canvas {
    fn grow(&mut self, a: Point, b: Point) {
        let (lo, hi) = (
            Point::new(a.x.min(b.x), a.y.min(b.y)),
            Point::new(a.x.max(b.x), a.y.max(b.y)),
        );
        self.min = Some(
            self.min
                .map_or(lo, |m| Point::new(m.x.min(lo.x), m.y.min(lo.y))),
        );
        self.max = Some(
            self.max
                .map_or(hi, |m| Point::new(m.x.max(hi.x), m.y.max(hi.y))),
        );
    }

    /// The whole document: the frames (outer ones first) behind the nodes and edges, all
    /// shifted so that the picture starts at a margin.
    fn finish(mut self, frames: &[Frame]) -> String {
        for f in frames {
            self.grow(f.rect.0, f.rect.1);
        }
        let min = self.min.unwrap_or(Point::zero());
        let max = self.max.unwrap_or(Point::zero());
        let margin = 10.;
        let (width, height) = (max.x - min.x + 2. * margin, max.y - min.y + 2. * margin);
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\">\n",
            n(width),
            n(height),
            n(width),
            n(height)
        );
        out.push_str("<defs>\n<marker id=\"arrow\" markerWidth=\"10\" markerHeight=\"7\" refX=\"10\" refY=\"3.5\" orient=\"auto\"><polygon points=\"0 0, 10 3.5, 0 7\" fill=\"#555555\"/></marker>\n");
        out.push_str(&self.clips);
        out.push_str("</defs>\n");
        out.push_str("<style>text { font-family: Helvetica, Arial, sans-serif; fill: #222222; } .label { font-size: 11px; fill: #555555; } .node { font-size: 13px; } .frame { font-size: 12px; fill: #4a72a8; }</style>\n");
        let _ = writeln!(
            out,
            "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            n(width),
            n(height)
        );
        let _ = writeln!(
            out,
            "<g transform=\"translate({} {})\">",
            n(margin - min.x),
            n(margin - min.y)
        );
        let mut ordered: Vec<&Frame> = frames.iter().collect();
        ordered.sort_by_key(|f| f.depth);
        for f in ordered {
            let (a, b) = f.rect;
            let dash = if f.dashed {
                " stroke-dasharray=\"5 4\""
            } else {
                ""
            };
            let fill = if f.depth == 0 { "#fcfcfc" } else { "#f7f9fc" };
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{fill}\" stroke=\"#9db3d3\"{dash}/>",
                n(a.x),
                n(a.y),
                n(b.x - a.x),
                n(b.y - a.y)
            );
            let _ = writeln!(
                out,
                "<text class=\"frame\" x=\"{}\" y=\"{}\">{}</text>",
                n(a.x + 8.),
                n(a.y + 14.),
                escape(&f.title)
            );
        }
        out.push_str(&self.body);
        out.push_str("</g>\n</svg>\n");
        out
    }
}

/// A coordinate, rounded to a tenth.
fn n(x: f64) -> String {
    let x = (x * 10.).round() / 10.;
    if x == x.trunc() {
        format!("{}", x as i64)
    } else {
        format!("{x:.1}")
    }
}

fn web(c: Color) -> String {
    // `#rrggbbaa`: SVG 1.1 readers want `#rrggbb` and an opacity.
    let full = c.to_web_color();
    full.get(..7).unwrap_or("#000000").to_owned()
}

fn opacity(c: Color) -> &'static str {
    if c.to_web_color().ends_with("00") {
        "0"
    } else {
        "1"
    }
}

/// Text for XML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not XML.
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

impl RenderBackend for Canvas {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        look: &StyleAttr,
        _properties: Option<String>,
        clip: Option<ClipHandle>,
    ) {
        self.grow(xy, xy.add(size));
        let fill = look.fill_color.unwrap_or_else(Color::transparent);
        let clip = clip.map_or(String::new(), |c| format!(" clip-path=\"url(#c{c})\""));
        let _ = writeln!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{clip}/>",
            n(xy.x),
            n(xy.y),
            n(size.x),
            n(size.y),
            look.rounded,
            web(fill),
            opacity(fill),
            web(look.line_color),
            look.line_width
        );
    }

    fn draw_line(
        &mut self,
        start: Point,
        stop: Point,
        look: &StyleAttr,
        _properties: Option<String>,
    ) {
        self.grow(start, stop);
        let _ = writeln!(
            self.body,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
            n(start.x),
            n(start.y),
            n(stop.x),
            n(stop.y),
            web(look.line_color),
            look.line_width
        );
    }

    fn draw_circle(
        &mut self,
        xy: Point,
        size: Point,
        look: &StyleAttr,
        _properties: Option<String>,
    ) {
        self.grow(xy.sub(size.scale(0.5)), xy.add(size.scale(0.5)));
        let fill = look.fill_color.unwrap_or_else(Color::transparent);
        let _ = writeln!(
            self.body,
            "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
            n(xy.x),
            n(xy.y),
            n(size.x / 2.),
            n(size.y / 2.),
            web(fill),
            opacity(fill),
            web(look.line_color),
            look.line_width
        );
    }

    fn draw_text(&mut self, xy: Point, text: &str, look: &StyleAttr) {
        let (class, size, line) = if look.font_size == LABEL_LAYOUT_SIZE {
            ("label", LABEL_FONT, LABEL_FONT + 2.)
        } else {
            ("node", FONT, LINE_HEIGHT)
        };
        let lines: Vec<&str> = text.lines().collect();
        let count = lines.len().max(1) as f64;
        // The first baseline, so that the block of lines is centred on `xy`.
        let first = xy.y - (count - 1.) * line / 2. + size * 0.35;
        let _ = write!(
            self.body,
            "<text class=\"{class}\" text-anchor=\"middle\" x=\"{}\" y=\"{}\">",
            n(xy.x),
            n(first)
        );
        for (i, l) in lines.iter().enumerate() {
            let dy = if i == 0 { 0. } else { line };
            let weight = if i == 0 && class == "node" {
                " font-weight=\"bold\""
            } else {
                ""
            };
            let _ = write!(
                self.body,
                "<tspan x=\"{}\" dy=\"{}\"{weight}>{}</tspan>",
                n(xy.x),
                n(dy),
                escape(l)
            );
        }
        self.body.push_str("</text>\n");
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        dashed: bool,
        head: (bool, bool),
        look: &StyleAttr,
        _properties: Option<String>,
        text: &str,
    ) {
        let (Some(first), Some(second)) = (path.first(), path.get(1)) else {
            return;
        };
        for p in path {
            self.grow(p.0, p.1);
        }
        let mut d = format!(
            "M {} {} C {} {}, {} {}, {} {}",
            n(first.0.x),
            n(first.0.y),
            n(first.1.x),
            n(first.1.y),
            n(second.0.x),
            n(second.0.y),
            n(second.1.x),
            n(second.1.y)
        );
        for p in path.iter().skip(2) {
            let _ = write!(d, " S {} {}, {} {}", n(p.0.x), n(p.0.y), n(p.1.x), n(p.1.y));
        }
        let dash = if dashed {
            " stroke-dasharray=\"4 3\""
        } else {
            ""
        };
        let end = if head.1 {
            " marker-end=\"url(#arrow)\""
        } else {
            ""
        };
        let start = if head.0 {
            " marker-start=\"url(#arrow)\""
        } else {
            ""
        };
        let _ = writeln!(
            self.body,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{dash}{start}{end}/>",
            web(look.line_color),
            look.line_width
        );
        if !text.is_empty() {
            let _ = writeln!(
                self.body,
                "<text class=\"label\" text-anchor=\"middle\" x=\"{}\" y=\"{}\">{}</text>",
                n(second.0.x),
                n(second.0.y),
                escape(text)
            );
        }
    }

    fn create_clip(&mut self, xy: Point, size: Point, rounded_px: usize) -> ClipHandle {
        let handle = self.clip_count;
        self.clip_count += 1;
        let _ = writeln!(
            self.clips,
            "<clipPath id=\"c{handle}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{rounded_px}\"/></clipPath>",
            n(xy.x),
            n(xy.y),
            n(size.x),
            n(size.y)
        );
        handle
    }
}
