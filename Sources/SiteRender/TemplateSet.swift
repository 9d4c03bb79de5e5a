import Mustache
import SiteModel
import Synchronization

/// The site's Mustache templates, parsed and checked: syntax errors, partials that do not exist (which
/// Mustache would silently render as empty) and unescaped output of values that are not engine HTML are
/// errors at the template's file:line:col.
public struct TemplateSet: Sendable {
    /// Names a template may insert unescaped with `{{{…}}}` or `{{& …}}`: HTML the engine produced.
    public static let rawHTMLNames: Set<String> = ["page.content", "content", "item.content", "json_ld"]

    let library: MustacheLibrary
    public let names: Set<String>
    /// The templates a page can use as its layout (`Templates/*.mustache`; partials are not layouts).
    public let layouts: Set<String>
    let paths: [String: String]
    /// Every template parsed, by name (what the checks walk).
    let parsed: [String: TemplateChecker.Parsed]

    /// swift-mustache escapes `{{value}}` one `Character` at a time through a dictionary (4% of a
    /// 10,000-page build), and lets an apostrophe through when a combining mark follows it (one
    /// `Character`), which ends a single-quoted attribute. `HTML.escape` works on the bytes. A template picks
    /// a content type with a pragma, so each template is compiled with this line in front (a standalone
    /// tag: it adds no output) and parse errors are reported one line up. Pragmas in the site's own
    /// templates are refused (`TemplateParser`), so none can turn escaping off.
    static let contentTypePragma = "{{%CONTENT_TYPE:ORBIS_HTML}}\n"
    private static let registerContentType: Void = MustacheContentTypes.register(EscapedHTML(), named: "ORBIS_HTML")

    public init(_ sources: [TemplateSource]) throws(DiagnosticsError) {
        _ = Self.registerContentType
        var library = MustacheLibrary()
        var diagnostics: [Diagnostic] = []
        var paths: [String: String] = [:]
        var parsed: [String: TemplateChecker.Parsed] = [:]
        for source in sources {
            paths[source.name] = source.path
            do throws(TemplateParser.SyntaxError) {
                parsed[source.name] = TemplateChecker.Parsed(source: source, nodes: try TemplateParser.parse(source.text, file: source.path))
            } catch {
                diagnostics.append(error.diagnostic)
                continue
            }
            do {
                library.register(try MustacheTemplate(string: Self.contentTypePragma + source.text), named: source.name)
            } catch let error as MustacheTemplate.ParserError {
                // Orbis's parser accepted it; swift-mustache's word is final.
                diagnostics.append(.error(
                    at: SourceLocation(file: source.path, line: max(1, error.context.lineNumber - 1), column: error.context.columnNumber),
                    "template syntax: \(Self.explain(error.error))"))
            } catch {
                diagnostics.append(.error(at: SourceLocation(file: source.path), "template syntax: \(error)"))
            }
        }
        if diagnostics.isEmpty {
            var checker = TemplateChecker(templates: parsed)
            checker.checkTags()
            diagnostics += checker.diagnostics
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        self.library = library
        self.names = Set(sources.map(\.name))
        self.layouts = Set(sources.filter { !$0.isPartial }.map(\.name))
        self.paths = paths
        self.parsed = parsed
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

    func render(_ context: [String: Any], with name: String) -> String {
        if let record = recorder.record.withLock({ $0 }) { record(context, name) }
        return library.render(context, withTemplate: name) ?? ""
    }

    /// For a test: sees every context a layout is rendered with.
    final class Recorder: Sendable {
        let record = Mutex<(@Sendable ([String: Any], String) -> Void)?>(nil)
    }
    let recorder = Recorder()

    static func explain(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "this closing tag does not match the section it closes"
        case .unfinishedName: return "tag is not closed; end it with }}"
        case .expectedSectionEnd: return "a section is never closed; add {{/name}}"
        case .invalidSetDelimiter: return "badly formed set-delimiter tag"
        case .transformAppliedToInheritanceSection: return "a transform cannot be applied to an inherited section"
        case .illegalTokenInsideInheritSection: return "only {{$block}} overrides may appear inside {{<parent}}"
        case .textInsideInheritSection: return "only {{$block}} overrides may appear inside {{<parent}}"
        case .invalidConfigVariableSyntax: return "badly formed config variable"
        case .unrecognisedConfigVariable: return "unknown config variable"
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

/// HTML escaping for `{{value}}`, registered with swift-mustache as the content type `ORBIS_HTML`.
struct EscapedHTML: MustacheContentType {
    func escapeText(_ text: String) -> String { HTML.escape(text) }
}
