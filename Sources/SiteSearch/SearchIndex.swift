import CText
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
    /// The text, as UTF-8 (kept as bytes: the index reads it as bytes, and only an excerpt's worth of it is
    /// ever a String).
    public var utf8: [UInt8]
    public var text: String {
        get { String(decoding: utf8, as: UTF8.self) }
        set { utf8 = Array(newValue.utf8) }
    }

    public init(path: String, language: String, title: String, headings: [String], text: String) {
        self.init(path: path, language: language, title: title, headings: headings, utf8: Array(text.utf8))
    }

    public init(path: String, language: String, title: String, headings: [String], utf8: [UInt8]) {
        self.path = path
        self.language = language
        self.title = title
        self.headings = headings
        self.utf8 = utf8
    }

    /// The searchable parts of a rendered page, or nil for a page without a `<main>` (or marked
    /// `data-search-ignore` on it). Works on the UTF-8 bytes: tags are skipped to their `>`, the elements
    /// search leaves out to their end tag.
    public static func extract(html: String, path: String, language: String) -> SearchDocument? {
        var html = html
        return html.withUTF8 { bytes in extract(bytes, path: path, language: language) }
    }

    static func extract(_ bytes: UnsafeBufferPointer<UInt8>, path: String, language: String) -> SearchDocument? {
        func find(_ needle: StaticString, from start: Int = 0, backwards: Bool = false) -> Int? {
            let n = needle.utf8Start, length = needle.utf8CodeUnitCount
            guard bytes.count >= length, start <= bytes.count - length else { return nil }
            func matches(_ i: Int) -> Bool { memcmp(bytes.baseAddress! + i, n, length) == 0 }
            if backwards {
                var i = bytes.count - length
                while i >= start { if bytes[i] == n[0] && matches(i) { return i }; i -= 1 }
            } else {
                // From one first byte to the next (memchr), comparing the rest there.
                let base = bytes.baseAddress!
                var i = start
                while i <= bytes.count - length, let next = memchr(base + i, Int32(n[0]), bytes.count - length + 1 - i) {
                    i = base.distance(to: next.assumingMemoryBound(to: UInt8.self))
                    if matches(i) { return i }
                    i += 1
                }
            }
            return nil
        }
        guard let mainStart = find("<main"), let openEnd = bytes[mainStart...].firstIndex(of: UInt8(ascii: ">")),
              let mainEnd = find("</main>", from: openEnd, backwards: true) else { return nil }
        // `data-search-ignore` in the (short) open tag.
        let ignore: StaticString = "data-search-ignore"
        if openEnd - mainStart >= ignore.utf8CodeUnitCount,
           (mainStart...(openEnd - ignore.utf8CodeUnitCount)).contains(where: { memcmp(bytes.baseAddress! + $0, ignore.utf8Start, ignore.utf8CodeUnitCount) == 0 }) { return nil }
        // The text, its runs of white space (and tags) made one space; a heading is the text written while
        // it was open.
        var text: [UInt8] = []
        text.reserveCapacity(mainEnd - openEnd)
        var headingStart: Int?
        var title = "", headings: [String] = []
        var skipping: UInt64?
        var index = openEnd + 1
        while index < mainEnd {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                let base = bytes.baseAddress!
                let close = memchr(base + index + 1, Int32(UInt8(ascii: ">")), mainEnd - index - 1)
                    .map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? mainEnd
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
                if text.last != 0x20 { text.append(0x20) }
                if Tag.isSkipped(name) {
                    if bytes[close - 1] != UInt8(ascii: "/") { skipping = name }
                } else if name == Tag.h1 || name == Tag.h2 || name == Tag.h3 {
                    headingStart = text.count
                } else if name == Tag.endH1 || name == Tag.endH2 || name == Tag.endH3 {
                    if var start = headingStart {
                        // Spaces in `text` are single ASCII spaces: the heading without those at its ends.
                        var end = text.count
                        while start < end && text[start] == 0x20 { start += 1 }
                        while end > start && text[end - 1] == 0x20 { end -= 1 }
                        if name == Tag.endH1 {
                            if title.isEmpty { title = String(decoding: text[start..<end], as: UTF8.self).trimmed }
                        } else if start < end {
                            headings.append(String(decoding: text[start..<end], as: UTF8.self))
                        }
                    }
                    headingStart = nil
                }
                continue
            }
            if skipping != nil {
                // Inside a left-out element: on to its next tag.
                let base = bytes.baseAddress!
                index = memchr(base + index, Int32(UInt8(ascii: "<")), mainEnd - index).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? mainEnd
                continue
            }
            if byte == UInt8(ascii: "&") {
                if let length = appendReference(bytes, at: index, end: mainEnd, to: &text) {
                    index += length
                    continue
                }
                text.append(byte)
                index += 1
            } else if byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x20 {
                if text.last != 0x20 { text.append(0x20) }
                index += 1
            } else {
                // A run of text up to the next tag, reference or white space other than one space after a
                // non-space (so a line of words is one copy), copied at once.
                let start = index
                index += 1
                index += orbis_text_run_length(bytes.baseAddress!, index, mainEnd)
                text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            }
        }
        if title.isEmpty, let start = find("<title>"), let end = find("</title>"), start + 7 < end {
            title = HTML.decodeReferences(String(decoding: bytes[(start + 7)..<end], as: UTF8.self)).components(separatedBy: " · ").first ?? ""
        }
        while text.last == 0x20 { text.removeLast() }
        if text.first == 0x20 { text.removeFirst() }
        // Reserved for the whole of `<main>`, tags included: kept at its size (documents live until the index).
        if text.capacity > text.count + text.count / 8 { text = text.withUnsafeBufferPointer { Array($0) } }
        return SearchDocument(path: path, language: language, title: title, headings: headings, utf8: text)
    }

    /// Appends the character reference at `index` (`&amp;`, `&#39;`, `&eacute;`…) decoded to `text` and
    /// returns its length, or returns nil when there is none there (an `&` that is just an ampersand).
    static func appendReference(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int, to text: inout [UInt8]) -> Int? {
        let limit = min(index + 1 + HTML.longestReference, end)
        var semicolon = index + 1
        while semicolon < limit && bytes[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
        guard semicolon < limit else { return nil }
        // The five that HTML escaping writes, without a String.
        let a = bytes[index + 1], b = semicolon - index > 2 ? bytes[index + 2] : 0, c = semicolon - index > 3 ? bytes[index + 3] : 0
        switch (semicolon - index, a, b, c) {
        case (3, UInt8(ascii: "l"), UInt8(ascii: "t"), _): text.append(UInt8(ascii: "<"))
        case (3, UInt8(ascii: "g"), UInt8(ascii: "t"), _): text.append(UInt8(ascii: ">"))
        case (4, UInt8(ascii: "#"), UInt8(ascii: "3"), UInt8(ascii: "9")): text.append(UInt8(ascii: "'"))
        case (4, UInt8(ascii: "a"), UInt8(ascii: "m"), UInt8(ascii: "p")): text.append(UInt8(ascii: "&"))
        case (5, UInt8(ascii: "q"), UInt8(ascii: "u"), UInt8(ascii: "o")) where bytes[index + 4] == UInt8(ascii: "t"): text.append(UInt8(ascii: "\""))
        default:
            let reference = String(decoding: bytes[index...semicolon], as: UTF8.self)
            let decoded = HTML.decodeReferences(reference)
            guard decoded != reference else { return nil }
            text += decoded.utf8
        }
        return semicolon - index + 1
    }
}

/// Tag names packed as `extract` packs them: up to 8 lowercase bytes, big-endian (written out, not computed:
/// they are compared at every tag; a test checks them against `pack`).
enum Tag {
    static func pack(_ name: String) -> UInt64 { name.utf8.reduce(0) { $0 << 8 | UInt64($1) } }
    /// `</name>` for a packed `name` (a name of 8 bytes has no packed end tag; it is never skipped).
    static func closing(_ name: UInt64) -> UInt64 {
        var length = 0
        var rest = name
        while rest != 0 { rest >>= 8; length += 1 }
        return length >= 8 ? 0 : UInt64(UInt8(ascii: "/")) << (8 * UInt64(length)) | name
    }
    static var script: UInt64 { 0x73_63_72_69_70_74 }
    static var style: UInt64 { 0x73_74_79_6C_65 }
    static var svg: UInt64 { 0x73_76_67 }
    static var nav: UInt64 { 0x6E_61_76 }
    static var noscript: UInt64 { 0x6E_6F_73_63_72_69_70_74 }
    static var template: UInt64 { 0x74_65_6D_70_6C_61_74_65 }
    static var h1: UInt64 { 0x68_31 }
    static var h2: UInt64 { 0x68_32 }
    static var h3: UInt64 { 0x68_33 }
    static var endH1: UInt64 { 0x2F_68_31 }
    static var endH2: UInt64 { 0x2F_68_32 }
    static var endH3: UInt64 { 0x2F_68_33 }
    /// The elements whose content search leaves out.
    static func isSkipped(_ name: UInt64) -> Bool {
        name == script || name == style || name == svg || name == nav || name == noscript || name == template
    }
}

extension String {
    /// Without white space at either end (Foundation's trimming, only when an end is not a plain ASCII
    /// character: it costs thousands of instructions a call).
    var trimmed: String {
        guard let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80,
              !Self.asciiWhiteSpace(first), !Self.asciiWhiteSpace(last) else { return trimmingCharacters(in: .whitespacesAndNewlines) }
        return self
    }

    private static func asciiWhiteSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
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
/// - `search/<lang>/d-<n>.js` — documents `documentsPerShard` at a time: title, path, section (the nearest
///   enclosing page's title) and the start of the text, for the result's excerpt;
/// - `search/orbis-search.js` — the runtime that loads them and ranks (`SearchRuntime`).
public enum SearchIndex {
    public static let documentsPerShard = 5
    static let excerptLength = 1200
    static let maximumWeight = 60
    /// Above this size a shard is split (a single term's postings can still be larger: nothing to split).
    static let shardBytes = 16 * 1024
    /// Keys are at most this long: deeper splits would make the shard list (`meta.js`) the larger part.
    static let maximumKeyLength = 6

    /// The files of the index of `documents`, for the languages given. Runs of documents are counted in
    /// parallel (`threads`), then their postings joined in document order (`termShards`).
    ///
    /// With a `memo` (`orbis serve`), the runs of the last index whose documents are all `unchanged` (the
    /// same as when that index was made) are taken from it, when the language's documents are the same
    /// paths in the same order; the rest is made as always.
    public static func files(_ documents: [SearchDocument], languages: [String], threads: Int = Parallelism.processors,
                             memo: SearchIndexMemo? = nil, unchanged: Set<String> = []) -> [OutputFile] {
        var files = [OutputFile(path: "search/orbis-search.js", text: SearchRuntime.script)]
        let titles = Dictionary(documents.map { ($0.path, $0.title) }, uniquingKeysWith: { a, _ in a })
        memo?.reusedRuns = 0
        for language in languages {
            let documents = documents.filter { $0.language == language }.sorted { $0.path < $1.path }
            let folder = "search/\(language)/"
            let paths = documents.map(\.path)
            let previous = memo?.languages[language].flatMap { $0.paths == paths ? $0.runs : nil }
            let (shards, runs) = termShards(documents, threads: threads, previous: previous, unchanged: unchanged)
            if let memo {
                memo.languages[language] = (paths, runs)
                memo.reusedRuns += zip(runs, previous ?? []).filter { $0.0 === $0.1 }.count
            }
            files += parallelMap(shards, threads: threads) { shard in
                OutputFile(path: folder + "t-\(hex(shard.key)).js", contents: shard.file(language: language))
            }
            files += parallelMap(Array(stride(from: 0, to: documents.count, by: documentsPerShard)), threads: threads) { start -> OutputFile in
                var out = Array("orbisSearch.docs(\(JSONText.string(language)),\(start / documentsPerShard),[\n".utf8)
                for number in start..<min(start + documentsPerShard, documents.count) {
                    let document = documents[number]
                    let url = document.path.hasSuffix("index.html") ? String(document.path.dropLast("index.html".count)) : document.path
                    if number > start { out += Array(",\n".utf8) }
                    out.append(UInt8(ascii: "["))
                    for (index, field) in [document.title[...], url[...], section(of: document.path, titles: titles)[...], excerpt(document.utf8)].enumerated() {
                        if index > 0 { out.append(UInt8(ascii: ",")) }
                        JSONText.append(field, to: &out)
                    }
                    out.append(UInt8(ascii: "]"))
                }
                out += Array("\n]);\n".utf8)
                return OutputFile(path: folder + "d-\(start / documentsPerShard).js", contents: out)
            }
            let keys = shards.map { JSONText.string($0.key) }.joined(separator: ",")
            files.append(OutputFile(path: folder + "meta.js",
                                    text: "orbisSearch.meta(\(JSONText.string(language)),{docs:\(documents.count),per:\(documentsPerShard),shards:[\(keys)]});\n"))
        }
        return files
    }

    /// One term shard: its key and its terms (sorted), each with its postings in document order.
    struct Shard {
        typealias Entry = (term: String, postings: [UInt8])
        var key: String
        var terms: [Entry]

        func file(language: String) -> [UInt8] {
            var out = Array("orbisSearch.terms(\(JSONText.string(language)),\(JSONText.string(key)),{\n".utf8)
            for (index, entry) in terms.enumerated() {
                if index > 0 { out += Array(",\n".utf8) }
                JSONText.append(entry.term[...], to: &out)
                out.append(UInt8(ascii: ":"))
                out.append(UInt8(ascii: "\""))
                out += entry.postings
                out.append(UInt8(ascii: "\""))
            }
            out += Array("\n});\n".utf8)
            return out
        }
    }

    /// The terms of the documents `range` (numbered by their position), counted in one pass with one
    /// table for the whole run: each document's terms and weights are appended as it ends, then sorted by
    /// term (a counting sort, so each term's documents stay in order): its postings are
    /// `documents[starts[entry]..<starts[entry + 1]]`, with their `weights`.
    final class Run: @unchecked Sendable {
        let counts: TermCounts
        let starts: [Int32]
        let documents: [Int32]
        let weights: [UInt8]

        init(_ source: UnsafeBufferPointer<SearchDocument>, _ range: Range<Int>) {
            var counts = TermCounts(capacity: 8192)
            // Each document's entries and weights, one after another; document i's end at `ends[i]`.
            var entries: [Int32] = [], found: [UInt8] = [], ends: [Int] = []
            ends.reserveCapacity(range.count)
            for number in range {
                let document = source[number]
                Tokenizer.count(document.title, weight: 10, into: &counts)
                for heading in document.headings { Tokenizer.count(heading, weight: 4, into: &counts) }
                document.utf8.withUnsafeBufferPointer { Tokenizer.count($0, weight: 1, into: &counts) }
                counts.takeCounted(into: &entries, &found, maximum: UInt8(maximumWeight))
                ends.append(entries.count)
            }
            var starts = [Int32](repeating: 0, count: counts.count + 1)
            for entry in entries { starts[Int(entry) + 1] += 1 }
            for index in 0..<counts.count { starts[index + 1] += starts[index] }
            var documents = [Int32](repeating: 0, count: entries.count), weights = [UInt8](repeating: 0, count: entries.count)
            var next = starts
            next.withUnsafeMutableBufferPointer { next in
                documents.withUnsafeMutableBufferPointer { documents in
                    weights.withUnsafeMutableBufferPointer { weights in
                        var index = 0
                        for (offset, end) in ends.enumerated() {
                            let number = Int32(range.lowerBound + offset)
                            while index < end {
                                let entry = Int(entries[index]), position = Int(next[entry])
                                documents[position] = number
                                weights[position] = found[index]
                                next[entry] += 1
                                index += 1
                            }
                        }
                    }
                }
            }
            self.counts = counts
            self.starts = starts
            self.documents = documents
            self.weights = weights
        }
    }

    /// The term shards of `documents`: runs of documents counted in parallel, each term's postings then
    /// written from its runs in document order (in parallel by term), grouped by shard key, and split
    /// where too large.
    static func termShards(_ documents: [SearchDocument], threads: Int, previous: [Run]? = nil,
                           unchanged: Set<String> = []) -> (shards: [Shard], runs: [Run]) {
        let count = max(1, min(max(1, threads) * 4, documents.count / 32))
        let runs = documents.withUnsafeBufferPointer { documents in
            parallelMap(count, threads: threads) { run -> Run in
                let range = (run * documents.count / count)..<((run + 1) * documents.count / count)
                if let previous, previous.count == count, documents[range].allSatisfy({ unchanged.contains($0.path) }) {
                    return previous[run]
                }
                return Run(documents, range)
            }
        }
        // Each term once (`all`), and where it is in each run (-1: not there).
        var all = TermCounts(capacity: runs.reduce(0) { max($0, $1.counts.count) } * 2)
        var entries: [[Int32]] = []
        for run in runs {
            var here = [Int32](repeating: -1, count: all.count)
            for entry in 0..<run.counts.count {
                let (id, inserted) = run.counts.withTerm(entry) { bytes, hash in all.index(of: bytes, hash: hash) }
                if inserted { here.append(-1) }
                here[id] = Int32(entry)
            }
            entries.append(here)
        }
        let terms = all.count
        // Flat: the entry of term `id` in run `r` is at `id * runs.count + r`.
        var located = [Int32](repeating: -1, count: terms * runs.count)
        for (r, here) in entries.enumerated() {
            for id in here.indices where here[id] >= 0 { located[id * runs.count + r] = here[id] }
        }
        let postings = located.withUnsafeBufferPointer { located in
            parallelMap(terms, threads: threads) { id -> Shard.Entry in
                var postings = 0
                for r in runs.indices {
                    let entry = Int(located[id * runs.count + r])
                    if entry >= 0 { postings += Int(runs[r].starts[entry + 1] - runs[r].starts[entry]) }
                }
                // Written in place: at most `Posting.maximumBytes` each.
                let out = [UInt8](unsafeUninitializedCapacity: postings * Posting.maximumBytes) { buffer, written in
                    var at = buffer.baseAddress!
                    var previous = -1
                    for r in runs.indices {
                        let entry = Int(located[id * runs.count + r])
                        guard entry >= 0 else { continue }
                        let run = runs[r]
                        run.starts.withUnsafeBufferPointer { starts in
                            run.documents.withUnsafeBufferPointer { documents in
                                run.weights.withUnsafeBufferPointer { weights in
                                    for position in Int(starts[entry])..<Int(starts[entry + 1]) {
                                        let number = Int(documents[position])
                                        at = Posting.write(delta: previous < 0 ? number : number - previous, weight: Int(weights[position]), first: previous < 0, at: at)
                                        previous = number
                                    }
                                }
                            }
                        }
                    }
                    written = buffer.baseAddress!.distance(to: at)
                }
                return (all.term(id), out)
            }
        }
        var byShard: [String: [Shard.Entry]] = [:]
        for entry in postings { byShard[Tokenizer.shard(of: entry.term), default: []].append(entry) }
        let shards = parallelMap(Array(byShard), threads: threads) { key, terms in
            split(Shard(key: key, terms: terms.sorted { $0.term < $1.term }))
        }
        return (shards.flatMap { $0 }.sorted { $0.key < $1.key }, runs)
    }

    /// The start of `text` shown in results: at most `excerptLength` characters (counted in Unicode scalars,
    /// of which a character has at least one, without grapheme breaking all of it), ended at a character.
    static func excerpt(_ text: String) -> Substring { excerpt(Array(text.utf8)) }

    static func excerpt(_ utf8: [UInt8]) -> Substring {
        guard utf8.count > excerptLength else { return String(decoding: utf8, as: UTF8.self)[...] }
        // Scalars counted on the UTF-8 (each begins with a byte that is not 10xxxxxx).
        var scalars = 0, offset = 0
        while offset < utf8.count {
            if utf8[offset] & 0xC0 != 0x80 {
                if scalars == excerptLength { break }
                scalars += 1
            }
            offset += 1
        }
        guard offset < utf8.count else { return String(decoding: utf8, as: UTF8.self)[...] }
        // A little of what follows, to know whether the cut is between characters.
        let text = String(decoding: utf8[..<min(utf8.count, offset + 64)], as: UTF8.self)
        var cut = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        while cut > text.startIndex, cut.samePosition(in: text) == nil { text.unicodeScalars.formIndex(before: &cut) }
        return text[..<cut]
    }

    /// `shard`, or the shards it splits into when it is larger than `shardBytes`: by one more character of
    /// its terms (terms no longer than the key stay in it).
    static func split(_ shard: Shard) -> [Shard] {
        let size = shard.terms.reduce(0) { $0 + $1.term.utf8.count + $1.postings.count + 4 }
        guard size > shardBytes, shard.terms.count > 1 else { return [shard] }
        var groups: [String: [Shard.Entry]] = [:]
        var kept: [Shard.Entry] = []
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
        let length = key.count
        guard length < maximumKeyLength, let end = term.index(term.startIndex, offsetBy: length + 1, limitedBy: term.endIndex) else { return nil }
        return String(term[..<end])
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
        // On the UTF-8 ("/" is one byte, never inside another character's).
        let utf8 = path.utf8
        guard let file = utf8.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        guard let up = utf8[..<file].lastIndex(of: UInt8(ascii: "/")) else { return "index.html" }
        return String(path[...up]) + "index.html"
    }

    /// A shard key as file-name-safe hex of its UTF-8.
    public static func hex(_ key: String) -> String { Hex.string(key.utf8) }
}

/// One posting, as `SearchIndex` writes them: the document's distance from the previous one in base 36
/// (the first: its number), then `*weight` in base 36 unless the weight is 1; comma-separated.
enum Posting {
    /// A comma, a distance between two `Int32` document numbers (at most 7 digits) and `*` with a weight
    /// of at most `SearchIndex.maximumWeight` (2 digits).
    static let maximumBytes = 1 + 7 + 1 + 2

    /// Writes the posting at `at`, returns where it ends.
    @inline(__always)
    static func write(delta: Int, weight: Int, first: Bool, at: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var at = at
        if !first { at.pointee = UInt8(ascii: ","); at += 1 }
        at = base36(delta, at: at)
        if weight != 1 {
            at.pointee = UInt8(ascii: "*")
            at = base36(weight, at: at + 1)
        }
        return at
    }

    @inline(__always)
    static func digit(_ d: Int) -> UInt8 { d < 10 ? UInt8(ascii: "0") + UInt8(d) : UInt8(ascii: "a") + UInt8(d - 10) }

    /// `value` (not negative) in base 36 at `at`; returns where it ends.
    @inline(__always)
    static func base36(_ value: Int, at: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        // Most differences between documents of a common term, and most weights, are one or two digits.
        if value < 36 { at.pointee = digit(value); return at + 1 }
        if value < 36 * 36 { at[0] = digit(value / 36); at[1] = digit(value % 36); return at + 2 }
        var width = 1, scale = 36
        while scale <= value { width += 1; scale *= 36 }
        var value = value
        for position in stride(from: width - 1, through: 0, by: -1) {
            at[position] = digit(value % 36)
            value /= 36
        }
        return at + width
    }
}

/// What one index leaves for the next in the same process (`orbis serve`): per language, the documents'
/// paths in order and the runs they were counted in. A run is a function of its documents alone, so one
/// whose documents are unchanged is the same run.
public final class SearchIndexMemo: @unchecked Sendable {
    var languages: [String: (paths: [String], runs: [SearchIndex.Run])] = [:]
    /// How many runs the last index took from the memo instead of counting them.
    public internal(set) var reusedRuns = 0

    public init() {}

    /// A memo with the same runs, which a build fills without changing this one (a build that fails must
    /// leave the memo of the last good one).
    public func copy() -> SearchIndexMemo {
        let copy = SearchIndexMemo()
        copy.languages = languages
        return copy
    }
}
