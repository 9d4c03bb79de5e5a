import Foundation
import SiteModel

/// One page as search sees it: what is in its `<main>` (navigation, scripts, styles and inline SVG left out).
public struct SearchDocument: Sendable, Equatable {
    /// The page's output path (`partners/lyon/index.html`).
    public var path: String
    /// The language key of the page (from the route's prefix).
    public var language: String
    public var title: String
    public var headings: [String]
    public var text: String

    public init(path: String, language: String, title: String, headings: [String], text: String) {
        self.path = path
        self.language = language
        self.title = title
        self.headings = headings
        self.text = text
    }

    /// The searchable parts of a rendered page, or nil for a page without a `<main>` (or marked
    /// `data-search-ignore` on it).
    public static func extract(html: String, path: String, language: String) -> SearchDocument? {
        guard let mainStart = html.range(of: "<main"), let mainOpenEnd = html[mainStart.upperBound...].firstIndex(of: ">"),
              let mainEnd = html.range(of: "</main>", options: .backwards) else { return nil }
        if html[mainStart.lowerBound..<mainOpenEnd].contains("data-search-ignore") { return nil }
        let body = html[html.index(after: mainOpenEnd)..<mainEnd.lowerBound]
        var text = ""
        var title = "", headings: [String] = []
        var heading: String?
        var skipping: String?
        var index = body.startIndex
        while index < body.endIndex {
            let character = body[index]
            if character == "<", let close = body[index...].firstIndex(of: ">") {
                let tag = body[body.index(after: index)..<close]
                let name = tag.prefix { $0.isLetter || $0.isNumber || $0 == "/" }.lowercased()
                index = body.index(after: close)
                if let skip = skipping {
                    if name == "/" + skip { skipping = nil }
                    continue
                }
                switch name {
                case "script", "style", "svg", "nav", "noscript", "template":
                    if !tag.hasSuffix("/") { skipping = name }
                case "h1", "h2", "h3":
                    heading = ""
                case "/h1":
                    if title.isEmpty, let heading { title = heading.trimmed }
                    heading = nil
                case "/h2", "/h3":
                    if let heading, !heading.trimmed.isEmpty { headings.append(heading.trimmed) }
                    heading = nil
                default:
                    break
                }
                // Block boundaries separate words.
                if !text.hasSuffix(" ") { text += " " }
                continue
            }
            if skipping == nil {
                var piece = String(character)
                if character == "&", let semicolon = body[index...].prefix(10).firstIndex(of: ";") {
                    piece = Self.entity(String(body[index...semicolon]))
                    index = semicolon
                }
                text += piece
                if heading != nil { heading! += piece }
            }
            index = body.index(after: index)
        }
        if title.isEmpty, let start = html.range(of: "<title>"), let end = html.range(of: "</title>") , start.upperBound < end.lowerBound {
            title = Self.decode(String(html[start.upperBound..<end.lowerBound])).components(separatedBy: " · ").first ?? ""
        }
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return SearchDocument(path: path, language: language, title: title, headings: headings, text: words)
    }

    static func entity(_ text: String) -> String {
        switch text {
        case "&amp;": "&"
        case "&lt;": "<"
        case "&gt;": ">"
        case "&quot;": "\""
        case "&#39;", "&apos;": "'"
        case "&nbsp;": " "
        default:
            if text.hasPrefix("&#x"), let value = UInt32(text.dropFirst(3).dropLast(), radix: 16), let scalar = Unicode.Scalar(value) { String(scalar) }
            else if text.hasPrefix("&#"), let value = UInt32(text.dropFirst(2).dropLast()), let scalar = Unicode.Scalar(value) { String(scalar) }
            else { text }
        }
    }

    static func decode(_ text: String) -> String {
        var result = text
        for (entity, value) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            result = result.replacingOccurrences(of: entity, with: value)
        }
        return result
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// The search index of a site: per language, a few small JavaScript files that the browser loads with
/// `<script>` (so it works from `file://`, where `fetch` is refused), only those a query needs:
///
/// - `search/<lang>/meta.js` — the number of documents and the list of term shards;
/// - `search/<lang>/t-<hex>.js` — the terms starting with the same two characters (one for Han), each with
///   its postings `[document, weight]` (title 10 per occurrence, headings 4, body 1, summed and capped);
/// - `search/<lang>/d-<n>.js` — documents 50 at a time: title, path, section (the parent page's title) and
///   the start of the text, for the result's excerpt;
/// - `search/orbis-search.js` — the runtime that loads them and ranks (`SearchRuntime`).
public enum SearchIndex {
    public static let documentsPerShard = 50
    static let excerptLength = 1200
    static let maximumWeight = 60

    /// The files of the index of `documents`, for the languages given (key → route prefix, "" for the default).
    public static func files(_ documents: [SearchDocument], languages: [String]) -> [OutputFile] {
        var files = [OutputFile(path: "search/orbis-search.js", text: SearchRuntime.script)]
        let titles = Dictionary(documents.map { ($0.path, $0.title) }, uniquingKeysWith: { a, _ in a })
        for language in languages {
            let documents = documents.filter { $0.language == language }.sorted { $0.path < $1.path }
            var postings: [String: [Int: Int]] = [:]
            for (number, document) in documents.enumerated() {
                func add(_ text: String, weight: Int) {
                    for term in Tokenizer.terms(text) {
                        postings[term, default: [:]][number, default: 0] += weight
                    }
                }
                add(document.title, weight: 10)
                for heading in document.headings { add(heading, weight: 4) }
                add(document.text, weight: 1)
            }
            var shards: [String: [(String, [Int: Int])]] = [:]
            for (term, list) in postings { shards[Tokenizer.shard(of: term), default: []].append((term, list)) }
            let folder = "search/\(language)/"
            for (key, terms) in shards {
                let body = terms.sorted { $0.0 < $1.0 }.map { term, list in
                    JSONText.string(term) + ":[" + list.sorted { $0.key < $1.key }.map { "[\($0.key),\(min($0.value, maximumWeight))]" }.joined(separator: ",") + "]"
                }.joined(separator: ",\n")
                files.append(OutputFile(path: folder + "t-\(hex(key)).js",
                                        text: "orbisSearch.terms(\(JSONText.string(language)),\(JSONText.string(key)),{\n\(body)\n});\n"))
            }
            for start in stride(from: 0, to: documents.count, by: documentsPerShard) {
                let slice = documents[start..<min(start + documentsPerShard, documents.count)]
                let rows = slice.map { document -> String in
                    let section = parent(of: document.path).flatMap { titles[$0] } ?? ""
                    let url = document.path.hasSuffix("index.html") ? String(document.path.dropLast("index.html".count)) : document.path
                    return "[" + [document.title, url, section, String(document.text.prefix(excerptLength))].map(JSONText.string).joined(separator: ",") + "]"
                }
                files.append(OutputFile(path: folder + "d-\(start / documentsPerShard).js",
                                        text: "orbisSearch.docs(\(JSONText.string(language)),\(start / documentsPerShard),[\n\(rows.joined(separator: ",\n"))\n]);\n"))
            }
            let keys = shards.keys.sorted().map(JSONText.string).joined(separator: ",")
            files.append(OutputFile(path: folder + "meta.js",
                                    text: "orbisSearch.meta(\(JSONText.string(language)),{docs:\(documents.count),per:\(documentsPerShard),shards:[\(keys)]});\n"))
        }
        return files
    }

    /// `partners/lyon/index.html` → `partners/index.html`; nil for the home page.
    static func parent(of path: String) -> String? {
        var parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2 else { return nil }
        parts.removeLast(2)
        return (parts + ["index.html"]).joined(separator: "/")
    }

    /// A shard key as file-name-safe hex of its UTF-8.
    public static func hex(_ key: String) -> String {
        key.utf8.map { String(format: "%02x", $0) }.joined()
    }
}
