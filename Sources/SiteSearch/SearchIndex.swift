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
    /// `data-search-ignore` on it). Works on the UTF-8 bytes: tags are skipped to their `>`, the elements
    /// search leaves out to their end tag.
    public static func extract(html: String, path: String, language: String) -> SearchDocument? {
        let bytes = Array(html.utf8)
        func find(_ needle: String, from start: Int = 0, backwards: Bool = false) -> Int? {
            let n = Array(needle.utf8)
            guard bytes.count >= n.count, start <= bytes.count - n.count else { return nil }
            func matches(_ i: Int) -> Bool {
                guard bytes[i] == n[0] else { return false }
                var j = 1
                while j < n.count && bytes[i + j] == n[j] { j += 1 }
                return j == n.count
            }
            if backwards {
                var i = bytes.count - n.count
                while i >= start { if matches(i) { return i }; i -= 1 }
            } else {
                var i = start
                while i <= bytes.count - n.count { if matches(i) { return i }; i += 1 }
            }
            return nil
        }
        guard let mainStart = find("<main"), let openEnd = bytes[mainStart...].firstIndex(of: UInt8(ascii: ">")),
              let mainEnd = find("</main>", from: openEnd, backwards: true) else { return nil }
        if String(decoding: bytes[mainStart..<openEnd], as: UTF8.self).contains("data-search-ignore") { return nil }
        var text: [UInt8] = []
        text.reserveCapacity(mainEnd - openEnd)
        var heading: [UInt8]?
        var title = "", headings: [String] = []
        var skipping: UInt64?
        var index = openEnd + 1
        func space() { if text.last != 0x20 { text.append(0x20) } }
        while index < mainEnd {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                var close = index + 1
                while close < mainEnd && bytes[close] != UInt8(ascii: ">") { close += 1 }
                var nameEnd = index + 1
                while nameEnd < close, bytes[nameEnd] == UInt8(ascii: "/") || (bytes[nameEnd] | 0x20 >= UInt8(ascii: "a") && bytes[nameEnd] | 0x20 <= UInt8(ascii: "z")) || (bytes[nameEnd] >= UInt8(ascii: "0") && bytes[nameEnd] <= UInt8(ascii: "9")) { nameEnd += 1 }
                // The tag's name, lowercased, packed into a number (no String per tag).
                var name: UInt64 = 0
                if nameEnd - index - 1 <= 8 {
                    for i in (index + 1)..<nameEnd {
                        let b = bytes[i]
                        name = name << 8 | UInt64(b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b + 32 : b)
                    }
                }
                index = close + 1
                if let skip = skipping {
                    if name == Tag.closing(skip) { skipping = nil }
                    continue
                }
                if Tag.skipped.contains(name) {
                    if bytes[close - 1] != UInt8(ascii: "/") { skipping = name }
                } else if name == Tag.h1 || name == Tag.h2 || name == Tag.h3 {
                    heading = []
                } else if name == Tag.endH1 {
                    if title.isEmpty, let heading { title = String(decoding: heading, as: UTF8.self).trimmed }
                    heading = nil
                } else if name == Tag.endH2 || name == Tag.endH3 {
                    if let heading {
                        let text = String(decoding: heading, as: UTF8.self).trimmed
                        if !text.isEmpty { headings.append(text) }
                    }
                    heading = nil
                }
                space()
                continue
            }
            if skipping == nil {
                if byte == UInt8(ascii: "&"), let semicolon = bytes[index..<min(index + 10, mainEnd)].firstIndex(of: UInt8(ascii: ";")) {
                    let piece = Array(HTML.decodeReferences(String(decoding: bytes[index...semicolon], as: UTF8.self)).utf8)
                    text += piece
                    heading? += piece
                    index = semicolon + 1
                    continue
                }
                if byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x20 {
                    space()
                    if heading != nil && heading!.last != 0x20 { heading!.append(0x20) }
                } else {
                    text.append(byte)
                    heading?.append(byte)
                }
            }
            index += 1
        }
        if title.isEmpty, let start = find("<title>"), let end = find("</title>"), start + 7 < end {
            title = HTML.decodeReferences(String(decoding: bytes[(start + 7)..<end], as: UTF8.self)).components(separatedBy: " · ").first ?? ""
        }
        while text.last == 0x20 { text.removeLast() }
        let words = String(decoding: text.first == 0x20 ? text.dropFirst() : text[...], as: UTF8.self)
        return SearchDocument(path: path, language: language, title: title, headings: headings, text: words)
    }
}

/// Tag names packed as `extract` packs them: up to 8 lowercase bytes, big-endian.
enum Tag {
    static func pack(_ name: String) -> UInt64 { name.utf8.reduce(0) { $0 << 8 | UInt64($1) } }
    /// `</name>` for a packed `name` (a name of 8 bytes has no packed end tag; it is never skipped).
    static func closing(_ name: UInt64) -> UInt64 {
        var length = 0
        var rest = name
        while rest != 0 { rest >>= 8; length += 1 }
        return length >= 8 ? 0 : UInt64(UInt8(ascii: "/")) << (8 * UInt64(length)) | name
    }
    static let skipped: Set<UInt64> = Set(["script", "style", "svg", "nav", "noscript", "template"].map(pack))
    static let h1 = pack("h1"), h2 = pack("h2"), h3 = pack("h3")
    static let endH1 = pack("/h1"), endH2 = pack("/h2"), endH3 = pack("/h3")
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

    /// The files of the index of `documents`, for the languages given. Documents are tokenized in parallel
    /// (`threads`), then merged in document order.
    public static func files(_ documents: [SearchDocument], languages: [String], threads: Int = Parallelism.processors) -> [OutputFile] {
        var files = [OutputFile(path: "search/orbis-search.js", text: SearchRuntime.script)]
        let titles = Dictionary(documents.map { ($0.path, $0.title) }, uniquingKeysWith: { a, _ in a })
        for language in languages {
            let documents = documents.filter { $0.language == language }.sorted { $0.path < $1.path }
            let weights = parallelMap(documents, threads: threads) { document -> [String: Int] in
                var weights: [String: Int] = [:]
                func add(_ text: String, weight: Int) {
                    for term in Tokenizer.terms(text) { weights[term, default: 0] += weight }
                }
                add(document.title, weight: 10)
                for heading in document.headings { add(heading, weight: 4) }
                add(document.text, weight: 1)
                return weights
            }
            var postings: [String: [(Int, Int)]] = [:]
            for (number, terms) in weights.enumerated() {
                for (term, weight) in terms { postings[term, default: []].append((number, weight)) }
            }
            var shards: [String: [(String, [(Int, Int)])]] = [:]
            for (term, list) in postings { shards[Tokenizer.shard(of: term), default: []].append((term, list)) }
            let folder = "search/\(language)/"
            // The shards' text is made in parallel (at 10,000 pages it is megabytes of JSON).
            let shardList = shards.sorted { $0.key < $1.key }
            files += parallelMap(shardList, threads: threads) { key, terms -> OutputFile in
                var body = ""
                for (index, (term, list)) in terms.sorted(by: { $0.0 < $1.0 }).enumerated() {
                    if index > 0 { body += ",\n" }
                    body += JSONText.string(term)
                    body += ":["
                    for (position, posting) in list.enumerated() {
                        if position > 0 { body += "," }
                        body += "["
                        body += String(posting.0)
                        body += ","
                        body += String(min(posting.1, maximumWeight))
                        body += "]"
                    }
                    body += "]"
                }
                return OutputFile(path: folder + "t-\(hex(key)).js",
                                  text: "orbisSearch.terms(\(JSONText.string(language)),\(JSONText.string(key)),{\n\(body)\n});\n")
            }
            files += parallelMap(Array(stride(from: 0, to: documents.count, by: documentsPerShard)), threads: threads) { start -> OutputFile in
                let slice = documents[start..<min(start + documentsPerShard, documents.count)]
                let rows = slice.map { document -> String in
                    let section = parent(of: document.path).flatMap { titles[$0] } ?? ""
                    let url = document.path.hasSuffix("index.html") ? String(document.path.dropLast("index.html".count)) : document.path
                    return "[" + [document.title, url, section, String(document.text.prefix(excerptLength))].map(JSONText.string).joined(separator: ",") + "]"
                }
                return OutputFile(path: folder + "d-\(start / documentsPerShard).js",
                                  text: "orbisSearch.docs(\(JSONText.string(language)),\(start / documentsPerShard),[\n\(rows.joined(separator: ",\n"))\n]);\n")
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
