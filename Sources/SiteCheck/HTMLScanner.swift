#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import SiteModel
/// What the output check needs to know about one HTML page, read in a single pass over its bytes.
public struct ScannedPage: Sendable {
    /// A URL in an attribute: `href`, `src`, or one candidate of a `srcset`.
    public struct Reference: Sendable, Hashable {
        public var tag: String
        public var attribute: String
        public var url: String
    }

    public var references: [Reference] = []
    /// Every `id` (and `<a name>`), in document order, duplicates included.
    public var ids: [String] = []
    /// `ids` as a set, made once when the page is scanned; and as bytes, what a fragment must match.
    public var idSet: Set<String> = []
    public var idBytes: Set<[UInt8]> = []
    public var lang: String?
    public var hasTitle = false
    /// `src` of each `<img>` without an `alt` attribute.
    public var imagesWithoutAlt: [String] = []
    /// Whether the page has a `<base href>` (its relative links then resolve against the site root).
    public var hasBase = false
}

/// A small, forgiving HTML tokenizer: tags and attributes, comments, raw text of `script`/`style`, character
/// references in attribute values. It does not build a tree; it does not need to.
public enum HTMLScanner {
    public static func scan(_ html: String) -> ScannedPage {
        var html = html
        return html.withUTF8 { scan(bytes: $0) }
    }

    static func scan(bytes: UnsafeBufferPointer<UInt8>) -> ScannedPage {
        var page = ScannedPage()
        let count = bytes.count
        var i = 0
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 12 }
        /// `bytes[start..<end]` with ASCII letters made lowercase (as HTML compares tag and attribute names).
        func lowered(_ start: Int, _ end: Int) -> String {
            String(unsafeUninitializedCapacity: end - start) { buffer in
                for k in 0..<(end - start) { buffer[k] = lower(bytes[start + k]) }
                return end - start
            }
        }
        /// Index of the first occurrence of `needle` (lowercase ASCII) at or after `from`, case-insensitively.
        func find(_ needle: [UInt8], from: Int) -> Int {
            var j = from
            while j + needle.count <= count {
                if lower(bytes[j]) == needle[0] {
                    var k = 1
                    while k < needle.count && lower(bytes[j + k]) == needle[k] { k += 1 }
                    if k == needle.count { return j }
                }
                j += 1
            }
            return count
        }
        while i < count {
            guard bytes[i] == UInt8(ascii: "<") else {
                // Text: jump to the next tag.
                guard let next = memchr(bytes.baseAddress! + i, Int32(UInt8(ascii: "<")), count - i) else { break }
                i = bytes.baseAddress!.distance(to: next.assumingMemoryBound(to: UInt8.self))
                continue
            }
            if i + 3 < count, bytes[i + 1] == UInt8(ascii: "!"), bytes[i + 2] == UInt8(ascii: "-"), bytes[i + 3] == UInt8(ascii: "-") {
                i = min(count, find(Array("-->".utf8), from: i + 4) + 3)
                continue
            }
            if i + 1 < count, bytes[i + 1] == UInt8(ascii: "!") || bytes[i + 1] == UInt8(ascii: "?") || bytes[i + 1] == UInt8(ascii: "/") {
                while i < count && bytes[i] != UInt8(ascii: ">") { i += 1 }
                i += 1
                continue
            }
            // A start tag: its name, then attributes.
            var j = i + 1
            let nameStart = j
            while j < count, case let b = bytes[j], (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == UInt8(ascii: "-") { j += 1 }
            guard j > nameStart else { i += 1; continue }
            let tag = lowered(nameStart, j)
            var attributes: [(String, String?)] = []
            while j < count {
                while j < count && (isSpace(bytes[j]) || bytes[j] == UInt8(ascii: "/")) { j += 1 }
                guard j < count, bytes[j] != UInt8(ascii: ">") else { break }
                let attrStart = j
                while j < count, !isSpace(bytes[j]), bytes[j] != UInt8(ascii: "="), bytes[j] != UInt8(ascii: ">"), bytes[j] != UInt8(ascii: "/") { j += 1 }
                // Only the attributes `record` reads are kept (their names are ASCII, six letters at most):
                // a `class` or `style` is neither lowercased nor decoded.
                let nameLength = j - attrStart
                let name = nameLength <= 6 ? lowered(attrStart, j) : ""
                let wanted = Self.recorded.contains(name)
                while j < count && isSpace(bytes[j]) { j += 1 }
                var value: String?
                if j < count, bytes[j] == UInt8(ascii: "=") {
                    j += 1
                    while j < count && isSpace(bytes[j]) { j += 1 }
                    var valueStart = j, valueEnd = j
                    if j < count, bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: "'") {
                        let quote = bytes[j]
                        valueStart = j + 1
                        j = valueStart
                        while j < count && bytes[j] != quote { j += 1 }
                        valueEnd = j
                        j = min(count, j + 1)
                    } else {
                        while j < count && !isSpace(bytes[j]) && bytes[j] != UInt8(ascii: ">") { j += 1 }
                        valueEnd = j
                    }
                    if wanted { value = decodeReferences(UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd])) }
                }
                if nameLength == 0 { j += 1; continue }
                if wanted { attributes.append((name, value)) }
            }
            i = min(count, j + 1)
            record(tag: tag, attributes: attributes, into: &page)
            if tag == "script" || tag == "style" {
                i = find(Array("</\(tag)".utf8), from: i)
            } else if tag == "title" {
                let end = find(Array("</title".utf8), from: i)
                page.hasTitle = page.hasTitle || UnsafeBufferPointer(rebasing: bytes[i..<end]).contains { !isSpace($0) }
                i = end
            }
        }
        page.idSet = Set(page.ids)
        page.idBytes = Set(page.idSet.map { Array($0.utf8) })
        return page
    }

    /// The attributes `record` reads.
    static let recorded: Set<String> = ["id", "name", "lang", "alt", "href", "src", "srcset"]

    static func record(tag: String, attributes: [(String, String?)], into page: inout ScannedPage) {
        var hasAlt = false
        var imageSource = ""
        for (name, value) in attributes {
            switch name {
            case "id":
                if let value, !value.isEmpty { page.ids.append(value) }
            case "name" where tag == "a":
                if let value, !value.isEmpty { page.ids.append(value) }
            case "lang" where tag == "html":
                page.lang = value ?? ""
            case "alt":
                hasAlt = true
            case "href":
                guard let value else { continue }
                if tag == "base" { page.hasBase = true; continue }
                page.references.append(.init(tag: tag, attribute: name, url: value))
            case "src":
                guard let value else { continue }
                if tag == "img" { imageSource = value }
                page.references.append(.init(tag: tag, attribute: name, url: value))
            case "srcset":
                guard let value else { continue }
                for candidate in value.split(separator: ",") {
                    if let url = candidate.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first {
                        page.references.append(.init(tag: tag, attribute: name, url: String(url)))
                    }
                }
            default: continue
            }
        }
        if tag == "img" && !hasAlt { page.imagesWithoutAlt.append(imageSource) }
    }

    /// Decodes `&amp;`, `&#39;`, `&#x2F;` and the few named references URLs and ids contain.
    static func decodeReferences(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        HTML.decodeReferences(String(decoding: bytes, as: UTF8.self))
    }
}
