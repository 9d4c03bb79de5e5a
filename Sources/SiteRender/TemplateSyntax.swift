import SiteModel

/// One piece of a parsed Mustache template, with where it starts (1-based line and column).
struct TemplateNode: Sendable {
    enum Kind: Sendable {
        /// Literal text: a line and its line break, or the part of a line before or after a tag.
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
    var name: String {
        didSet { path = Self.path(of: name) }
    }
    /// The name's parts (`["page", "title"]`), split once for rendering.
    private(set) var path: [String]
    /// Transforms applied to the value, innermost last: `{{reversed(pages)}}` → `["reversed"]`.
    var transforms: [String] = []
    /// For a partial, parent or block: the whitespace before it when it stands alone on its line (what each
    /// line it renders is indented by); nil for a partial within a line.
    var indentation: String?
    var line: Int
    var column: Int

    init(kind: Kind, name: String, transforms: [String] = [], indentation: String? = nil, line: Int, column: Int) {
        self.kind = kind
        self.name = name
        self.path = Self.path(of: name)
        self.transforms = transforms
        self.indentation = indentation
        self.line = line
        self.column = column
    }

    private static func path(of name: String) -> [String] {
        name.split(separator: ".").map(String.init)
    }

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

/// Parses Mustache (sections, inverted sections, partials, parents and blocks, comments, set-delimiter tags,
/// transforms), keeping every tag's position, so that templates can be checked before anything renders and
/// rendered from the same tree (`TemplateRenderer`). Lines that hold only a section, comment, partial or
/// delimiter tag ("standalone") leave no trace in the output, and a standalone partial's lines are indented
/// as the tag is, as the Mustache spec says; the whitespace rules are swift-mustache's, to the letter, so
/// that a page renders byte for byte as it did when swift-mustache rendered it (a test renders both).
/// Refuses what Orbis cannot check: pragmas (`{{%…}}`, which could turn escaping off) and dynamic partials
/// (`{{>*name}}`). Errors are reported where their cause is: an unclosed section at the tag that opened it.
struct TemplateParser {
    private let chars: [Character]
    private var index = 0
    private var line = 1
    private var column = 1
    private var depth = 0
    /// Sections, parents and blocks inside each other; deeper is an error (the parser and the checks recurse).
    static let maximumDepth = 100
    private let file: String

    /// The nodes of `text` (the template at `file`); throws the first syntax error.
    static func parse(_ text: String, file: String) throws(SyntaxError) -> [TemplateNode] {
        var parser = TemplateParser(chars: Array(text), file: file)
        return try parser.parseNodes(State(), until: nil).0
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

    /// What the parser knows where it is (swift-mustache's `ParserState`): copied into each section, so a
    /// delimiter change inside a section ends with it.
    private struct State {
        var open: [Character] = ["{", "{"]
        var close: [Character] = ["}", "}"]
        /// At the start of a line (only whitespace read on it so far): a tag here may stand alone.
        var newLine = true
        /// Directly inside `{{< parent}}`, where `{{$name}}` defines an override.
        var inParentTopLevel = false
        /// Inside an override of a parent (at any depth), whose lines lose the indentation of its first line.
        var inParent = false
        var parentIndentation: Int?

        func entering(newLine: Bool) -> State {
            var state = self
            state.inParentTopLevel = false
            if !newLine { state.newLine = false }
            return state
        }
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

    /// Spaces and tabs from here.
    private mutating func readIndentation() -> String {
        var text = ""
        while !atEnd, chars[index] == " " || chars[index] == "\t" { text.append(chars[index]); advance() }
        return text
    }

    private var atLineBreak: Bool { !atEnd && (chars[index] == "\n" || chars[index] == "\r\n") }

    /// Whether the tag just read stands alone on its line: it began one (`state.newLine`) and only spaces and
    /// tabs follow it before the line's end (or the template's); if so, they and the line break are skipped.
    private mutating func standsAlone(_ state: State) -> Bool {
        guard state.newLine else { return false }
        if atEnd { return true }
        var probe = self
        _ = probe.readIndentation()
        guard !probe.atEnd, probe.chars[probe.index].isNewline else { return false }
        probe.advance()
        self = probe
        return true
    }

    /// Nodes up to the `{{/…}}` that closes the enclosing section (returned), or to the end.
    private mutating func parseNodes(_ initial: State, until section: (name: String, line: Int, column: Int)?) throws(SyntaxError) -> ([TemplateNode], Closing?) {
        if let section, depth >= Self.maximumDepth {
            throw fail(section.line, section.column, "sections are nested more than \(Self.maximumDepth) deep here; no template needs that many")
        }
        depth += 1
        defer { depth -= 1 }
        var state = initial
        var nodes: [TemplateNode] = []
        // The whitespace that began the current line, not yet in a node.
        var leading = ""
        var leadingLine = line, leadingColumn = column
        func addText(_ text: String, line: Int, column: Int) {
            if !text.isEmpty { nodes.append(TemplateNode(kind: .text(text), name: "", line: line, column: column)) }
        }
        /// The line's leading whitespace as text of its own, when a tag does not stand alone.
        func flushLeading() {
            addText(leading, line: leadingLine, column: leadingColumn)
            leading = ""
        }
        /// The name of a partial or parent tag ({{>name}}, {{<name}}), with the indentation it stands at and
        /// whether it stands alone on its line.
        func partialTag(_ sigil: Character, _ state: State, _ tagLine: Int, _ tagColumn: Int) throws(SyntaxError) -> (String, String, Bool) {
            advance()
            skipWhitespace()
            if !atEnd, chars[index] == "*" {
                throw fail(tagLine, tagColumn, "dynamic partials ({{\(sigil)*name}}) are not supported: Orbis checks every partial a template uses before rendering; name the partial")
            }
            let name = try parsePartialName(state, tagLine, tagColumn)
            let indentation = leading
            flushLeading()
            return (name, indentation, standsAlone(state))
        }
        while !atEnd {
            if state.newLine {
                let lineStart = (line, column)
                let whitespace = readIndentation()
                if state.inParent && !state.inParentTopLevel {
                    // Lines of an override lose the indentation of its first line (which is dropped whole).
                    if let indentation = state.parentIndentation {
                        leading = String(whitespace.dropFirst(indentation))
                    } else {
                        state.parentIndentation = whitespace.count
                    }
                } else {
                    leading = whitespace
                }
                (leadingLine, leadingColumn) = lineStart
            }
            // Text up to a tag or the end of the line.
            var text = ""
            let textLine = line, textColumn = column
            var foundTag = false
            while !atEnd {
                if atLineBreak { break }
                if looking(at: state.open) { foundTag = true; break }
                text.append(chars[index])
                advance()
            }
            if atLineBreak {
                let start = leading.isEmpty ? (textLine, textColumn) : (leadingLine, leadingColumn)
                text.append(chars[index])
                advance()
                addText(leading + text, line: start.0, column: start.1)
                leading = ""
                state.newLine = true
                continue
            }
            if !text.isEmpty {
                let start = leading.isEmpty ? (textLine, textColumn) : (leadingLine, leadingColumn)
                addText(leading + text, line: start.0, column: start.1)
                leading = ""
                state.newLine = false
            }
            guard foundTag else { break }
            let tagLine = line, tagColumn = column
            skip(state.open)
            guard !atEnd else { throw fail(tagLine, tagColumn, "tag is not closed; end it with \(String(state.close))") }
            let sigil = chars[index]
            var newLine = false
            switch sigil {
            case "#", "^":
                advance()
                let (name, transforms) = try parseName(state, tagLine, tagColumn)
                if standsAlone(state) { newLine = true } else { flushLeading() }
                let (children, closing) = try parseNodes(state.entering(newLine: newLine), until: (name, tagLine, tagColumn))
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
                let (name, transforms) = try parseName(state, tagLine, tagColumn)
                let closing = Closing(name: name, transforms: transforms, line: tagLine, column: tagColumn)
                if section == nil {
                    throw fail(tagLine, tagColumn, "{{/\(name)}} closes a section that was never opened; remove it or add {{#\(name)}} before it")
                }
                if !standsAlone(state) { flushLeading() }
                return (nodes, closing)
            case "!":
                while !atEnd, !looking(at: state.close) { advance() }
                guard !atEnd else { throw fail(tagLine, tagColumn, "comment is not closed; end it with \(String(state.close))") }
                skip(state.close)
                newLine = standsAlone(state)
            case "{":
                flushLeading()
                advance()
                let (name, transforms) = try parseName(state, tagLine, tagColumn)
                guard !atEnd, chars[index] == "}" else { throw fail(tagLine, tagColumn, "tag is not closed; end it with }}}") }
                advance()
                nodes.append(TemplateNode(kind: .variable(escaped: false), name: name, transforms: transforms, line: tagLine, column: tagColumn))
            case "&":
                flushLeading()
                advance()
                let (name, transforms) = try parseName(state, tagLine, tagColumn)
                nodes.append(TemplateNode(kind: .variable(escaped: false), name: name, transforms: transforms, line: tagLine, column: tagColumn))
            case ">":
                let (name, indentation, alone) = try partialTag(">", state, tagLine, tagColumn)
                newLine = alone
                nodes.append(TemplateNode(kind: .partial, name: name, indentation: newLine ? indentation : nil, line: tagLine, column: tagColumn))
            case "<":
                let (name, indentation, alone) = try partialTag("<", state, tagLine, tagColumn)
                newLine = alone
                var inner = state
                inner.newLine = true
                inner.inParent = true
                inner.inParentTopLevel = true
                let (children, closing) = try parseNodes(inner, until: (name, tagLine, tagColumn))
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
                nodes.append(TemplateNode(kind: .parent(blocks: blocks), name: name, indentation: indentation, line: tagLine, column: tagColumn))
            case "$":
                advance()
                let (name, transforms) = try parseName(state, tagLine, tagColumn)
                guard transforms.isEmpty else { throw fail(tagLine, tagColumn, "a block ({{$name}}) cannot have a transform") }
                let indentation = leading
                if !state.inParentTopLevel { flushLeading() }
                newLine = standsAlone(state)
                let (children, closing) = try parseNodes(state.entering(newLine: newLine), until: (name, tagLine, tagColumn))
                guard let closing else { throw fail(tagLine, tagColumn, "block '\(name)' opened here is never closed; add {{/\(name)}}") }
                guard closing.name == name else {
                    throw fail(tagLine, tagColumn, "block '\(name)' opened here is never closed (line \(closing.line) closes '\(closing.name)' first); add {{/\(name)}} where it ends")
                }
                nodes.append(TemplateNode(kind: .block(children: children), name: name,
                                          indentation: state.inParentTopLevel ? nil : indentation, line: tagLine, column: tagColumn))
            case "=":
                advance()
                try setDelimiters(&state, tagLine, tagColumn)
                newLine = standsAlone(state)
            case "%":
                throw fail(tagLine, tagColumn, "pragmas ({{%...}}) are not allowed in templates: Orbis decides how values are escaped")
            default:
                flushLeading()
                let (name, transforms) = try parseName(state, tagLine, tagColumn)
                nodes.append(TemplateNode(kind: .variable(escaped: true), name: name, transforms: transforms, line: tagLine, column: tagColumn))
            }
            state.newLine = newLine
        }
        return (nodes, nil)
    }

    private static let nameCharacters = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*")
    private static let partialNameCharacters = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*/")

    /// A tag's name up to the closing delimiter: `page.title`, or `reversed(pages)` (name `pages`, transform
    /// `reversed`), or `first()` (no name: the sequence context's transform).
    private mutating func parseName(_ state: State, _ tagLine: Int, _ tagColumn: Int) throws(SyntaxError) -> (String, [String]) {
        skipWhitespace()
        var text = ""
        while !atEnd, Self.nameCharacters.contains(chars[index]) {
            text.append(chars[index])
            advance()
        }
        skipWhitespace()
        guard looking(at: state.close) else {
            let found = atEnd ? "the end of the file" : "'\(chars[index])'"
            throw fail(tagLine, tagColumn, "tag is not closed: expected \(String(state.close)) after '\(text)', found \(found)")
        }
        skip(state.close)
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

    private mutating func parsePartialName(_ state: State, _ tagLine: Int, _ tagColumn: Int) throws(SyntaxError) -> String {
        var name = ""
        while !atEnd, Self.partialNameCharacters.contains(chars[index]) {
            name.append(chars[index])
            advance()
        }
        skipWhitespace()
        guard looking(at: state.close) else { throw fail(tagLine, tagColumn, "tag is not closed: expected \(String(state.close)) after the partial's name") }
        skip(state.close)
        return name
    }

    /// `{{=<% %>=}}`: later tags use the new delimiters (until the end of the enclosing section).
    private mutating func setDelimiters(_ state: inout State, _ tagLine: Int, _ tagColumn: Int) throws(SyntaxError) {
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
        guard looking(at: state.close) else { throw fail(tagLine, tagColumn, "badly formed set-delimiter tag; write it like {{=<% %>=}}") }
        skip(state.close)
        state.open = start
        state.close = end
    }
}
