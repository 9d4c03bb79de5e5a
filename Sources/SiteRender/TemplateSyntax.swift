import SiteModel

/// One piece of a parsed Mustache template, with where it starts (1-based line and column).
struct TemplateNode: Sendable {
    enum Kind: Sendable {
        case text(String)
        /// `{{name}}` (escaped) or `{{{name}}}` / `{{& name}}`.
        case variable(escaped: Bool)
        /// `{{#name}}…{{/name}}` or `{{^name}}…{{/name}}`.
        case section(inverted: Bool, children: [TemplateNode])
        /// `{{> name}}`.
        case partial
        /// `{{< name}}{{$block}}…{{/block}}{{/name}}`: the blocks it overrides.
        case parent(blocks: [TemplateNode])
        /// `{{$name}}default{{/name}}`: a block a child may override.
        case block(children: [TemplateNode])
    }

    var kind: Kind
    /// The value's name (`page.title`, `.` or empty for a sequence transform), or the partial's.
    var name: String
    /// Transforms applied to the value, innermost last: `{{reversed(pages)}}` → `["reversed"]`.
    var transforms: [String] = []
    var line: Int
    var column: Int

    /// How the tag is written, for messages: `{{page.title}}`, `{{#pages}}`, `{{> nav}}`.
    var written: String {
        let inner = transforms.reversed().reduce(name) { "\($1)(\($0))" }
        switch kind {
        case .text: return ""
        case .variable(let escaped): return escaped ? "{{\(inner)}}" : "{{{\(inner)}}}"
        case .section(let inverted, _): return "{{\(inverted ? "^" : "#")\(inner)}}"
        case .partial: return "{{> \(name)}}"
        case .parent: return "{{< \(name)}}"
        case .block: return "{{$\(name)}}"
        }
    }
}

/// Parses Mustache the way swift-mustache does (sections, inverted sections, partials, parents and blocks,
/// comments, set-delimiter tags, transforms), keeping every tag's position, so that templates can be
/// checked before anything renders. Refuses what Orbis cannot check: pragmas (`{{%…}}`, which could turn
/// escaping off) and dynamic partials (`{{>*name}}`). Errors are reported where their cause is: an unclosed
/// section at the tag that opened it.
struct TemplateParser {
    private let chars: [Character]
    private var index = 0
    private var line = 1
    private var column = 1
    private var depth = 0
    /// Sections, parents and blocks inside each other; deeper is an error (the parser and the checks recurse).
    static let maximumDepth = 100
    private var open: [Character] = ["{", "{"]
    private var close: [Character] = ["}", "}"]
    private let file: String

    /// The nodes of `text` (the template at `file`); throws the first syntax error.
    static func parse(_ text: String, file: String) throws(SyntaxError) -> [TemplateNode] {
        var parser = TemplateParser(chars: Array(text), file: file)
        return try parser.parseNodes(until: nil).0
    }

    private init(chars: [Character], file: String) {
        self.chars = chars
        self.file = file
    }

    struct SyntaxError: Error {
        var diagnostic: Diagnostic
    }

    private struct Closing {
        var name: String
        var transforms: [String]
        var line: Int
        var column: Int
    }

    private func location(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    private func fail(_ line: Int, _ column: Int, _ message: String) -> SyntaxError {
        SyntaxError(diagnostic: .error(at: location(line, column), message))
    }

    private var atEnd: Bool { index >= chars.count }

    private mutating func advance() {
        if chars[index] == "\n" || chars[index] == "\r\n" { line += 1; column = 1 } else { column += 1 }
        index += 1
    }

    private func looking(at delimiter: [Character]) -> Bool {
        guard index + delimiter.count <= chars.count else { return false }
        for offset in 0..<delimiter.count where chars[index + offset] != delimiter[offset] { return false }
        return true
    }

    private mutating func skip(_ delimiter: [Character]) {
        for _ in delimiter { advance() }
    }

    private mutating func skipWhitespace() {
        while !atEnd, chars[index].isWhitespace { advance() }
    }

    /// Nodes up to the `{{/…}}` that closes the enclosing section (returned), or to the end.
    private mutating func parseNodes(until section: (name: String, line: Int, column: Int)?) throws(SyntaxError) -> ([TemplateNode], Closing?) {
        if let section, depth >= Self.maximumDepth {
            throw fail(section.line, section.column, "sections are nested more than \(Self.maximumDepth) deep here; no template needs that many")
        }
        depth += 1
        defer { depth -= 1 }
        var nodes: [TemplateNode] = []
        var text = ""
        var textLine = line, textColumn = column
        func flush() {
            if !text.isEmpty { nodes.append(TemplateNode(kind: .text(text), name: "", line: textLine, column: textColumn)) }
            text = ""
        }
        while !atEnd {
            guard looking(at: open) else {
                if text.isEmpty { textLine = line; textColumn = column }
                text.append(chars[index])
                advance()
                continue
            }
            flush()
            let tagLine = line, tagColumn = column
            skip(open)
            guard !atEnd else { throw fail(tagLine, tagColumn, "tag is not closed; end it with \(String(close))") }
            let sigil = chars[index]
            switch sigil {
            case "#", "^":
                advance()
                let (name, transforms) = try parseName(tagLine, tagColumn)
                let (children, closing) = try parseNodes(until: (name, tagLine, tagColumn))
                guard let closing else {
                    throw fail(tagLine, tagColumn, "section '\(name)' opened here is never closed; add {{/\(name)}}")
                }
                guard closing.name == name, closing.transforms == transforms else {
                    throw fail(tagLine, tagColumn, "section '\(name)' opened here is never closed (line \(closing.line) closes '\(closing.name)' first); add {{/\(name)}} where it ends")
                }
                nodes.append(TemplateNode(kind: .section(inverted: sigil == "^", children: children), name: name,
                                          transforms: transforms, line: tagLine, column: tagColumn))
            case "/":
                advance()
                let (name, transforms) = try parseName(tagLine, tagColumn)
                let closing = Closing(name: name, transforms: transforms, line: tagLine, column: tagColumn)
                if section == nil {
                    throw fail(tagLine, tagColumn, "{{/\(name)}} closes a section that was never opened; remove it or add {{#\(name)}} before it")
                }
                return (nodes, closing)
            case "!":
                while !atEnd, !looking(at: close) { advance() }
                guard !atEnd else { throw fail(tagLine, tagColumn, "comment is not closed; end it with \(String(close))") }
                skip(close)
            case "{":
                advance()
                let (name, transforms) = try parseName(tagLine, tagColumn)
                guard !atEnd, chars[index] == "}" else { throw fail(tagLine, tagColumn, "tag is not closed; end it with }}}") }
                advance()
                nodes.append(TemplateNode(kind: .variable(escaped: false), name: name, transforms: transforms, line: tagLine, column: tagColumn))
            case "&":
                advance()
                let (name, transforms) = try parseName(tagLine, tagColumn)
                nodes.append(TemplateNode(kind: .variable(escaped: false), name: name, transforms: transforms, line: tagLine, column: tagColumn))
            case ">", "<":
                advance()
                skipWhitespace()
                if !atEnd, chars[index] == "*" {
                    throw fail(tagLine, tagColumn, "dynamic partials ({{>*name}}) are not supported: Orbis checks every partial a template uses before rendering; name the partial")
                }
                let name = try parsePartialName(tagLine, tagColumn)
                if sigil == ">" {
                    nodes.append(TemplateNode(kind: .partial, name: name, line: tagLine, column: tagColumn))
                } else {
                    let (children, closing) = try parseNodes(until: (name, tagLine, tagColumn))
                    guard let closing else {
                        throw fail(tagLine, tagColumn, "{{< \(name)}} opened here is never closed; add {{/\(name)}}")
                    }
                    guard closing.name == name else {
                        throw fail(tagLine, tagColumn, "{{< \(name)}} opened here is never closed (line \(closing.line) closes '\(closing.name)' first); add {{/\(name)}} where it ends")
                    }
                    var blocks: [TemplateNode] = []
                    for child in children {
                        switch child.kind {
                        case .block: blocks.append(child)
                        case .text(let text) where text.allSatisfy(\.isWhitespace): break
                        default:
                            throw fail(child.line, child.column, "only {{$block}} overrides may appear inside {{< \(name)}}; move this into a block")
                        }
                    }
                    nodes.append(TemplateNode(kind: .parent(blocks: blocks), name: name, line: tagLine, column: tagColumn))
                }
            case "$":
                advance()
                let (name, transforms) = try parseName(tagLine, tagColumn)
                guard transforms.isEmpty else { throw fail(tagLine, tagColumn, "a block ({{$name}}) cannot have a transform") }
                let (children, closing) = try parseNodes(until: (name, tagLine, tagColumn))
                guard let closing else { throw fail(tagLine, tagColumn, "block '\(name)' opened here is never closed; add {{/\(name)}}") }
                guard closing.name == name else {
                    throw fail(tagLine, tagColumn, "block '\(name)' opened here is never closed (line \(closing.line) closes '\(closing.name)' first); add {{/\(name)}} where it ends")
                }
                nodes.append(TemplateNode(kind: .block(children: children), name: name, line: tagLine, column: tagColumn))
            case "=":
                advance()
                try setDelimiters(tagLine, tagColumn)
            case "%":
                throw fail(tagLine, tagColumn, "pragmas ({{%...}}) are not allowed in templates: Orbis decides how values are escaped")
            default:
                let (name, transforms) = try parseName(tagLine, tagColumn)
                nodes.append(TemplateNode(kind: .variable(escaped: true), name: name, transforms: transforms, line: tagLine, column: tagColumn))
            }
        }
        flush()
        return (nodes, nil)
    }

    private static let nameCharacters = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*")
    private static let partialNameCharacters = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*/")

    /// A tag's name up to the closing delimiter: `page.title`, or `reversed(pages)` (name `pages`, transform
    /// `reversed`), or `first()` (no name: the sequence context's transform).
    private mutating func parseName(_ tagLine: Int, _ tagColumn: Int) throws(SyntaxError) -> (String, [String]) {
        skipWhitespace()
        var text = ""
        while !atEnd, Self.nameCharacters.contains(chars[index]) {
            text.append(chars[index])
            advance()
        }
        skipWhitespace()
        guard looking(at: close) else {
            let found = atEnd ? "the end of the file" : "'\(chars[index])'"
            throw fail(tagLine, tagColumn, "tag is not closed: expected \(String(close)) after '\(text)', found \(found)")
        }
        skip(close)
        guard text.contains("(") else { return (text, []) }
        // name(name(value)) → transforms outermost first, value innermost.
        var transforms: [String] = []
        var rest = Substring(text)
        while let paren = rest.firstIndex(of: "(") {
            transforms.append(String(rest[..<paren]))
            rest = rest[rest.index(after: paren)...]
        }
        let closers = rest.reversed().prefix { $0 == ")" }.count
        guard closers == transforms.count, !transforms.contains(where: { $0.isEmpty || $0.contains(")") }) else {
            throw fail(tagLine, tagColumn, "badly formed transform in '\(text)'; write it like reversed(pages)")
        }
        let value = String(rest.dropLast(closers))
        guard !value.contains("(") && !value.contains(")") else {
            throw fail(tagLine, tagColumn, "badly formed transform in '\(text)'; write it like reversed(pages)")
        }
        return (value, transforms)
    }

    private mutating func parsePartialName(_ tagLine: Int, _ tagColumn: Int) throws(SyntaxError) -> String {
        var name = ""
        while !atEnd, Self.partialNameCharacters.contains(chars[index]) {
            name.append(chars[index])
            advance()
        }
        skipWhitespace()
        guard looking(at: close) else { throw fail(tagLine, tagColumn, "tag is not closed: expected \(String(close)) after the partial's name") }
        skip(close)
        return name
    }

    /// `{{=<% %>=}}`: later tags use the new delimiters.
    private mutating func setDelimiters(_ tagLine: Int, _ tagColumn: Int) throws(SyntaxError) {
        skipWhitespace()
        var start: [Character] = [], end: [Character] = []
        while !atEnd, !chars[index].isWhitespace { start.append(chars[index]); advance() }
        skipWhitespace()
        while !atEnd, !chars[index].isWhitespace, chars[index] != "=" { end.append(chars[index]); advance() }
        skipWhitespace()
        guard !start.isEmpty, !end.isEmpty, !atEnd, chars[index] == "=" else {
            throw fail(tagLine, tagColumn, "badly formed set-delimiter tag; write it like {{=<% %>=}}")
        }
        advance()
        guard looking(at: close) else { throw fail(tagLine, tagColumn, "badly formed set-delimiter tag; write it like {{=<% %>=}}") }
        skip(close)
        open = start
        close = end
    }
}
