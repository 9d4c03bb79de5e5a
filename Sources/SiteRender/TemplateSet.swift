import SiteModel
import Synchronization

/// The site's Mustache templates, parsed and checked: syntax errors, partials that do not exist (which
/// Mustache would silently render as empty) and unescaped output of values that are not engine HTML are
/// errors at the template's file:line:col. Rendered by `TemplateRenderer` from the same parse.
public struct TemplateSet: Sendable {
    /// Names a template may insert unescaped with `{{{…}}}` or `{{& …}}`: HTML the engine produced.
    public static let rawHTMLNames: Set<String> = ["page.content", "content", "item.content", "json_ld"]

    public let names: Set<String>
    /// The templates a page can use as its layout (`Templates/*.mustache`; partials are not layouts).
    public let layouts: Set<String>
    let paths: [String: String]
    /// Every template parsed, by name (what the checks walk).
    let parsed: [String: TemplateChecker.Parsed]
    /// Every template's nodes, by name (what the renderer renders).
    let nodes: [String: [TemplateNode]]

    public init(_ sources: [TemplateSource]) throws(DiagnosticsError) {
        var diagnostics: [Diagnostic] = []
        var paths: [String: String] = [:]
        var parsed: [String: TemplateChecker.Parsed] = [:]
        for source in sources {
            paths[source.name] = source.path
            do throws(TemplateParser.SyntaxError) {
                parsed[source.name] = TemplateChecker.Parsed(source: source, nodes: try TemplateParser.parse(source.text, file: source.path))
            } catch {
                diagnostics.append(error.diagnostic)
            }
        }
        if diagnostics.isEmpty {
            var checker = TemplateChecker(templates: parsed)
            checker.checkTags()
            diagnostics += checker.diagnostics
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        self.names = Set(sources.map(\.name))
        self.layouts = Set(sources.filter { !$0.isPartial }.map(\.name))
        self.paths = paths
        self.parsed = parsed
        self.nodes = parsed.mapValues(\.nodes)
    }

    /// Every name each layout uses, checked against what it receives: `roots` gives, for each layout, what
    /// the pages that use it receive (and which pages those are, for messages); a layout no page uses is
    /// checked against what any page receives.
    func checkNames(roots: [String: (shape: [String: ContextShape], usedBy: String)], any: [String: ContextShape]) -> [Diagnostic] {
        var checker = TemplateChecker(templates: parsed)
        for layout in layouts.sorted() {
            let root = roots[layout] ?? (any, "no page uses it yet")
            checker.check(layout: layout, root: root.shape, elsewhere: Set(any.keys), usedBy: root.usedBy)
        }
        return checker.diagnostics
    }

    /// Every `{{t.key}}` the templates use, with where.
    func stringReferences() -> [(key: String, location: SourceLocation)] {
        var result: [(key: String, location: SourceLocation)] = []
        func visit(_ nodes: [TemplateNode], _ path: String) {
            for node in nodes {
                switch node.kind {
                case .variable, .section:
                    if node.name.hasPrefix("t."), node.name.count > 2 {
                        result.append((String(node.name.dropFirst(2)), SourceLocation(file: path, line: node.line, column: node.column)))
                    }
                default: break
                }
                switch node.kind {
                case .section(_, let children), .block(let children): visit(children, path)
                case .parent(let blocks): visit(blocks, path)
                default: break
                }
            }
        }
        for template in parsed.values.sorted(by: { $0.source.path < $1.source.path }) { visit(template.nodes, template.source.path) }
        return result
    }

    func render(_ context: TemplateContext, with name: String) -> String {
        if let record = recorder.record.withLock({ $0 }) { record(context, name) }
        return TemplateRenderer.render(name, in: nodes, with: context)
    }

    /// For a test: sees every context a layout is rendered with.
    final class Recorder: Sendable {
        let record = Mutex<(@Sendable (TemplateContext, String) -> Void)?>(nil)
    }
    let recorder = Recorder()
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
