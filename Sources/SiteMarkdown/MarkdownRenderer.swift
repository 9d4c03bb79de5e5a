import CCmark
import SiteModel

/// A heading of a page, for its table of contents.
public struct Heading: Sendable, Hashable {
    public var level: Int
    /// The heading's plain text.
    public var text: String
    /// The unique `id` written on the heading element.
    public var id: String

    public init(level: Int, text: String, id: String) {
        self.level = level
        self.text = text
        self.id = id
    }
}

/// What to do with a link or image destination found in Markdown.
public enum LinkResolution: Sendable, Equatable {
    case keep
    case replace(String)
    /// The link is broken; the message says why and how to fix it.
    case error(String)
}

/// A problem found while rendering Markdown, at a line and column of the Markdown text (1-based).
public struct MarkdownProblem: Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var message: String
}

/// A link or image destination as written into the HTML, as the Markdown has it, and where (1-based).
public struct MarkdownLink: Sendable, Hashable {
    public var url: String
    public var line: Int
    public var column: Int
    /// The destination as written in the Markdown (before any rewriting).
    public var written: String
}

/// Markdown rendered to HTML, with what templates and checks need to know about it.
public struct RenderedMarkdown: Sendable {
    public var html: String
    public var headings: [Heading]
    public var problems: [MarkdownProblem]
    /// Every link and image, in document order, so the output check can point at the Markdown.
    public var links: [MarkdownLink]

    public init(html: String, headings: [Heading], problems: [MarkdownProblem], links: [MarkdownLink] = []) {
        self.html = html
        self.headings = headings
        self.problems = problems
        self.links = links
    }

    /// No Markdown at all (a page generated from data alone).
    public static let empty = RenderedMarkdown(html: "", headings: [], problems: [])
}

/// Renders CommonMark through libcmark, the reference implementation.
///
/// Every cmark node is created, changed, rendered and freed inside `render`, so no C pointer outlives it.
public struct MarkdownRenderer: Sendable {
    public var options: MarkdownOptions

    public init(options: MarkdownOptions = .init()) {
        self.options = options
    }

    /// Renders `markdown` to HTML. `resolveLink` is asked about every link and image destination
    /// (only when `options.rewriteLinks` is on).
    public func render(_ markdown: String, resolveLink: (String) -> LinkResolution = { _ in .keep }) -> RenderedMarkdown {
        let cmarkOptions = self.cmarkOptions
        let length = markdown.utf8.count
        guard let document = markdown.withCString({ cmark_parse_document($0, length, cmarkOptions) }) else {
            return RenderedMarkdown(html: "", headings: [], problems: [])
        }
        defer { cmark_node_free(document) }

        var problems: [MarkdownProblem] = []
        var links: [MarkdownLink] = []
        var headingNodes: [OpaquePointer] = []
        let iterator = cmark_iter_new(document)
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING where options.headingIDs:
                headingNodes.append(node)
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let written = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                var url = written
                let line = Int(cmark_node_get_start_line(node)), column = Int(cmark_node_get_start_column(node))
                switch options.rewriteLinks ? resolveLink(url) : .keep {
                case .keep: break
                case .replace(let newURL):
                    cmark_node_set_url(node, newURL)
                    url = newURL
                case .error(let message):
                    problems.append(MarkdownProblem(line: line, column: column, message: message))
                }
                links.append(MarkdownLink(url: url, line: line, column: column, written: written))
            default: break
            }
        }
        cmark_iter_free(iterator)

        var slugs = SlugRegistry()
        var headings: [Heading] = []
        for node in headingNodes {
            let level = Int(cmark_node_get_heading_level(node))
            let text = Self.plainText(of: node)
            let id = slugs.unique(for: text)
            headings.append(Heading(level: level, text: text, id: id))
            let inner = renderInlines(of: node)
            let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)
            cmark_node_set_on_enter(block, "<h\(level) id=\"\(HTML.escape(id))\">\(inner)</h\(level)>")
            cmark_node_set_on_exit(block, "")
            cmark_node_replace(node, block)
            cmark_node_free(node)
        }

        guard let rendered = cmark_render_html(document, cmarkOptions) else {
            return RenderedMarkdown(html: "", headings: headings, problems: problems, links: links)
        }
        defer { free(rendered) }
        return RenderedMarkdown(html: String(cString: rendered), headings: headings, problems: problems, links: links)
    }

    private var cmarkOptions: Int32 {
        var result = CMARK_OPT_DEFAULT
        if options.smartPunctuation { result |= CMARK_OPT_SMART }
        if options.unsafeHTML { result |= CMARK_OPT_UNSAFE }
        return result
    }

    /// The HTML of a heading's inline content, rendered with the same options by moving the children
    /// into a paragraph of a scratch document.
    private func renderInlines(of heading: OpaquePointer) -> String {
        let scratch = cmark_node_new(CMARK_NODE_DOCUMENT)
        let paragraph = cmark_node_new(CMARK_NODE_PARAGRAPH)
        cmark_node_append_child(scratch, paragraph)
        while let child = cmark_node_first_child(heading) {
            cmark_node_append_child(paragraph, child)
        }
        defer { cmark_node_free(scratch) }
        guard let rendered = cmark_render_html(scratch, cmarkOptions) else { return "" }
        defer { free(rendered) }
        var html = String(cString: rendered)
        if html.hasPrefix("<p>") { html.removeFirst(3) }
        if html.hasSuffix("</p>\n") { html.removeLast(5) }
        return html
    }

    /// The text a reader sees in a node: its text and code literals, with breaks as spaces.
    static func plainText(of node: OpaquePointer) -> String {
        var text = ""
        let iterator = cmark_iter_new(node)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let literal = cmark_node_get_literal(child) { text += String(cString: literal) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            default: break
            }
        }
        return text
    }
}

/// The text a reader sees of a Markdown text (no markup, breaks as spaces), for a page's description.
public func markdownPlainText(_ markdown: String) -> String {
    let length = markdown.utf8.count
    guard let document = markdown.withCString({ cmark_parse_document($0, length, CMARK_OPT_DEFAULT) }) else { return markdown }
    defer { cmark_node_free(document) }
    return String(MarkdownRenderer.plainText(of: document).drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
}

/// Plain CommonMark rendering, exactly as libcmark does it, for the conformance test.
public func commonMarkToHTML(_ markdown: String, unsafe: Bool = true) -> String {
    MarkdownRenderer(options: MarkdownOptions(unsafeHTML: unsafe, smartPunctuation: false, headingIDs: false,
                                              rewriteLinks: false)).render(markdown).html
}
