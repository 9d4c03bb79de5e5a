import Mustache
import SiteModel

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

    /// swift-mustache escapes `{{value}}` one `Character` at a time through a dictionary (4% of a
    /// 10,000-page build), and lets an apostrophe through when a combining mark follows it (one
    /// `Character`), which ends a single-quoted attribute. `HTML.escape` works on the bytes. A template picks
    /// a content type with a pragma, so each template is compiled with this line in front (a standalone
    /// tag: it adds no output) and parse errors are reported one line up.
    static let contentTypePragma = "{{%CONTENT_TYPE:ORBIS_HTML}}\n"
    private static let registerContentType: Void = MustacheContentTypes.register(EscapedHTML(), named: "ORBIS_HTML")

    public init(_ sources: [TemplateSource]) throws(DiagnosticsError) {
        _ = Self.registerContentType
        var library = MustacheLibrary()
        var diagnostics: [Diagnostic] = []
        let names = Set(sources.map(\.name))
        var paths: [String: String] = [:]
        for source in sources {
            paths[source.name] = source.path
            do {
                library.register(try MustacheTemplate(string: Self.contentTypePragma + source.text), named: source.name)
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(.error(
                    at: SourceLocation(file: source.path, line: max(1, error.context.lineNumber - 1), column: error.context.columnNumber),
                    "template syntax: \(Self.explain(error.error))"))
                continue
            } catch {
                diagnostics.append(.error(at: SourceLocation(file: source.path), "template syntax: \(error)"))
                continue
            }
            for tag in TemplateScanner.tags(in: source.text) {
                let location = SourceLocation(file: source.path, line: tag.line, column: tag.column)
                switch tag.kind {
                case .partial, .parent:
                    if !names.contains(tag.name) {
                        diagnostics.append(.error(at: location,
                            "partial '\(tag.name)' does not exist; add Templates/partials/\(tag.name).mustache"))
                    }
                case .name:
                    break
                case .raw:
                    if !Self.rawHTMLNames.contains(tag.name) {
                        diagnostics.append(.error(at: location,
                            "'\(tag.name)' is inserted without HTML escaping; write {{\(tag.name)}}, only \(Self.rawHTMLNames.sorted().joined(separator: ", ")) hold HTML"))
                    }
                }
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        self.library = library
        self.names = names
        self.layouts = Set(sources.filter { !$0.isPartial }.map(\.name))
        self.paths = paths
    }

    func render(_ context: [String: Any], with name: String) -> String {
        library.render(context, withTemplate: name) ?? ""
    }

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

/// Finds the tags of a template that the engine checks, with their positions (default `{{ }}` delimiters).
enum TemplateScanner {
    struct Tag: Equatable {
        /// `{{>p}}`, `{{<p}}`, `{{{x}}}`/`{{&x}}`, and `{{x}}`/`{{#x}}`/`{{^x}}` (`name`).
        enum Kind { case partial, parent, raw, name }
        var kind: Kind
        var name: String
        var line: Int
        var column: Int
    }

    static func tags(in text: String) -> [Tag] {
        var result: [Tag] = []
        let chars = Array(text.unicodeScalars)
        var line = 1, column = 1, i = 0
        while i < chars.count {
            if chars[i] == "{", i + 1 < chars.count, chars[i + 1] == "{" {
                let startLine = line, startColumn = column
                var j = i + 2
                let triple = j < chars.count && chars[j] == "{"
                if triple { j += 1 }
                var body = ""
                while j + 1 < chars.count, !(chars[j] == "}" && chars[j + 1] == "}") {
                    body.unicodeScalars.append(chars[j])
                    j += 1
                }
                let trimmed = body.trimmingSpaces
                if triple {
                    result.append(Tag(kind: .raw, name: trimmed, line: startLine, column: startColumn))
                } else if let sigil = trimmed.first, ">&<".contains(sigil) {
                    let name = String(trimmed.dropFirst()).trimmingSpaces
                    if !name.hasPrefix("*") {
                        let kind: Tag.Kind = sigil == ">" ? .partial : sigil == "<" ? .parent : .raw
                        result.append(Tag(kind: kind, name: name, line: startLine, column: startColumn))
                    }
                } else if let first = trimmed.first, !"/!=$".contains(first) {
                    let name = "#^".contains(first) ? String(trimmed.dropFirst()).trimmingSpaces : trimmed
                    result.append(Tag(kind: .name, name: name, line: startLine, column: startColumn))
                }
                while i < j && i < chars.count {
                    if chars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
                    i += 1
                }
                continue
            }
            if chars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        return result
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
