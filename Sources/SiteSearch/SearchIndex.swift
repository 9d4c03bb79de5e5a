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
/// - `search/<lang>/t-<hex>.js` — the terms starting with the same characters, each with its postings
///   (documents and weights: title 10 per occurrence, headings 4, body 1, summed and capped), written
///   compactly: `"nurse":"0*a,1,3,2*4"` — each document as the difference from the one before, in base 36,
///   and `*weight` when the weight is not 1. A shard is the terms' first two characters (for Han, the first
///   character's code point mod 64); one that would exceed `shardBytes` is split by one more character (for
///   Han, by the whole first character), again and again, so that a query never loads much more than the
///   postings it asks for. The browser takes the longest key of `meta.js` that begins the term.
/// - `search/<lang>/d-<n>.js` — documents `documentsPerShard` at a time: title, path, section (the parent
///   page's title) and the start of the text, for the result's excerpt;
/// - `search/orbis-search.js` — the runtime that loads them and ranks (`SearchRuntime`).
public enum SearchIndex {
    public static let documentsPerShard = 5
    static let excerptLength = 1200
    static let maximumWeight = 60
    /// Above this size a shard is split (a single term's postings can still be larger: nothing to split).
    static let shardBytes = 16 * 1024
    /// Keys are at most this long: deeper splits would make the shard list (`meta.js`) the larger part.
    static let maximumKeyLength = 6

    /// The files of the index of `documents`, for the languages given. Documents are tokenized in parallel
    /// (`threads`), then merged in document order.
    public static func files(_ documents: [SearchDocument], languages: [String], threads: Int = Parallelism.processors) -> [OutputFile] {
        var files = [OutputFile(path: "search/orbis-search.js", text: SearchRuntime.script)]
        let titles = Dictionary(documents.map { ($0.path, $0.title) }, uniquingKeysWith: { a, _ in a })
        for language in languages {
            let documents = documents.filter { $0.language == language }.sorted { $0.path < $1.path }
            let folder = "search/\(language)/"
            let shards = termShards(documents, threads: threads)
            files += parallelMap(shards, threads: threads) { shard in
                OutputFile(path: folder + "t-\(hex(shard.key)).js", contents: shard.file(language: language))
            }
            files += parallelMap(Array(stride(from: 0, to: documents.count, by: documentsPerShard)), threads: threads) { start -> OutputFile in
                let slice = documents[start..<min(start + documentsPerShard, documents.count)]
                let rows = slice.map { document -> String in
                    let section = section(of: document.path, titles: titles)
                    let url = document.path.hasSuffix("index.html") ? String(document.path.dropLast("index.html".count)) : document.path
                    return "[" + [document.title, url, section, String(document.text.prefix(excerptLength))].map(JSONText.string).joined(separator: ",") + "]"
                }
                return OutputFile(path: folder + "d-\(start / documentsPerShard).js",
                                  text: "orbisSearch.docs(\(JSONText.string(language)),\(start / documentsPerShard),[\n\(rows.joined(separator: ",\n"))\n]);\n")
            }
            let keys = shards.map { JSONText.string($0.key) }.joined(separator: ",")
            files.append(OutputFile(path: folder + "meta.js",
                                    text: "orbisSearch.meta(\(JSONText.string(language)),{docs:\(documents.count),per:\(documentsPerShard),shards:[\(keys)]});\n"))
        }
        return files
    }

    /// One term shard: its key and its terms (sorted), each with its postings in document order.
    struct Shard {
        var key: String
        var terms: [(term: String, postings: [UInt8])]

        func file(language: String) -> [UInt8] {
            var out = Array("orbisSearch.terms(\(JSONText.string(language)),\(JSONText.string(key)),{\n".utf8)
            for (index, entry) in terms.enumerated() {
                if index > 0 { out += Array(",\n".utf8) }
                out += Array(JSONText.string(entry.term).utf8)
                out.append(UInt8(ascii: ":"))
                out.append(UInt8(ascii: "\""))
                out += entry.postings
                out.append(UInt8(ascii: "\""))
            }
            out += Array("\n});\n".utf8)
            return out
        }
    }

    /// The term shards of `documents`: tokenized in parallel; postings merged in parallel by bucket (a
    /// function of the base shard key, so a shard's terms meet in one bucket), in document order, encoded,
    /// then split where too large.
    static func termShards(_ documents: [SearchDocument], threads: Int) -> [Shard] {
        let buckets = max(1, threads) * 32
        // Each document's terms and weights, and its entries in the order of their buckets.
        struct DocumentTerms {
            var counts: TermCounts
            var order: [Int32]
            var bucketStarts: [Int32]
        }
        let weighted = parallelMap(documents, threads: threads) { document -> DocumentTerms in
            var counts = TermCounts(capacity: 512)
            Tokenizer.count(document.title, weight: 10, into: &counts)
            for heading in document.headings { Tokenizer.count(heading, weight: 4, into: &counts) }
            Tokenizer.count(document.text, weight: 1, into: &counts)
            var byBucket = [[Int32]](repeating: [], count: buckets)
            for index in 0..<counts.count { byBucket[counts.bucket(index, count: buckets)].append(Int32(index)) }
            var starts: [Int32] = [0]
            for list in byBucket { starts.append(starts.last! + Int32(list.count)) }
            return DocumentTerms(counts: counts, order: byBucket.flatMap { $0 }, bucketStarts: starts)
        }
        // Each bucket's postings, in document order: terms found by their bytes (no String until the end).
        let perBucket = parallelMap(Array(0..<buckets), threads: threads) { b -> [Shard] in
            var terms = TermCounts(capacity: 4096)
            var last: [Int] = []
            var postings: [[UInt8]] = []
            weighted.withUnsafeBufferPointer { weighted in
                for number in 0..<weighted.count {
                    let start = Int(weighted[number].bucketStarts[b]), end = Int(weighted[number].bucketStarts[b + 1])
                    for k in start..<end {
                        let entry = Int(weighted[number].order[k])
                        let (id, inserted) = weighted[number].counts.withTerm(entry) { bytes, hash in terms.index(of: bytes, hash: hash) }
                        if inserted {
                            last.append(-1)
                            postings.append([])
                        }
                        let previous = last[id]
                        postings[id].appendPosting(delta: previous < 0 ? number : number - previous,
                                                   weight: min(weighted[number].counts.weights[entry], maximumWeight), first: previous < 0)
                        last[id] = number
                    }
                }
            }
            var byShard: [String: [(term: String, postings: [UInt8])]] = [:]
            for id in 0..<terms.count {
                let term = terms.term(id)
                byShard[Tokenizer.shard(of: term), default: []].append((term, postings[id]))
            }
            return byShard.flatMap { key, terms in split(Shard(key: key, terms: terms.sorted { $0.term < $1.term })) }
        }
        return perBucket.flatMap { $0 }.sorted { $0.key < $1.key }
    }

    /// `shard`, or the shards it splits into when it is larger than `shardBytes`: by one more character of
    /// its terms (terms no longer than the key stay in it).
    static func split(_ shard: Shard) -> [Shard] {
        let size = shard.terms.reduce(0) { $0 + $1.term.utf8.count + $1.postings.count + 4 }
        guard size > shardBytes, shard.terms.count > 1 else { return [shard] }
        var groups: [String: [(term: String, postings: [UInt8])]] = [:]
        var kept: [(term: String, postings: [UInt8])] = []
        for entry in shard.terms {
            guard let key = longerKey(of: entry.term, than: shard.key) else { kept.append(entry); continue }
            groups[key, default: []].append(entry)
        }
        guard !groups.isEmpty, groups.count + (kept.isEmpty ? 0 : 1) > 1 else { return [shard] }
        var result = kept.isEmpty ? [] : [Shard(key: shard.key, terms: kept)]
        for (key, terms) in groups { result += split(Shard(key: key, terms: terms)) }
        return result
    }

    /// The next key after `key` for `term`: one more character, or for Han (`~n`) the whole first character
    /// (`~n` then its code point: `~24/37324`); nil when there is none.
    static func longerKey(of term: String, than key: String) -> String? {
        guard let first = term.unicodeScalars.first else { return nil }
        if Tokenizer.isHan(first) {
            return key.contains("/") ? nil : key + "/\(first.value)"
        }
        let characters = Array(term)
        guard key.count < maximumKeyLength, characters.count > key.count else { return nil }
        return String(characters.prefix(key.count + 1))
    }

    /// The title of the nearest enclosing page: `partners/areas/nursing/index.html` is in "Our partners"
    /// when `partners/areas/` has no page of its own; "" for the home page.
    static func section(of path: String, titles: [String: String]) -> String {
        var current = path
        while let up = parent(of: current) {
            if let title = titles[up] { return title }
            current = up
        }
        return ""
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

extension [UInt8] {
    /// One posting, as `SearchIndex` writes them: the document's distance from the previous one in base 36
    /// (the first: its number), then `*weight` in base 36 unless the weight is 1; comma-separated.
    mutating func appendPosting(delta: Int, weight: Int, first: Bool) {
        if !first { append(UInt8(ascii: ",")) }
        appendBase36(delta)
        if weight != 1 {
            append(UInt8(ascii: "*"))
            appendBase36(weight)
        }
    }

    mutating func appendBase36(_ value: Int) {
        var width = 1, scale = 36
        while scale <= value { width += 1; scale *= 36 }
        let start = count
        for _ in 0..<width { append(0) }
        var value = value
        for position in stride(from: start + width - 1, through: start, by: -1) {
            let digit = UInt8(value % 36)
            self[position] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            value /= 36
        }
    }
}
