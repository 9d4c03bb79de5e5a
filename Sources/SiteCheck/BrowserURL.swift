import SiteModel

/// A link as a browser resolves it on a page (WHATWG URL parsing, for a relative URL on an `http(s):` or
/// `file:` page): spaces and controls at either end dropped, tabs and newlines anywhere dropped, `\` read as
/// `/`, `.`/`..` (also written `%2e`) resolved, then percent-decoded — the bytes of the file a server or
/// the disk is asked for, with no Unicode normalization, so a file saved as NFD and linked as NFC is caught.
struct BrowserURL {
    /// The link with what a browser ignores removed (what it really follows).
    var cleaned: String
    /// Percent-decoded bytes of the path relative to the site root (the page's folder applied).
    var path: [UInt8]
    /// The path as written (before decoding) ended in `/`, or was empty.
    var isFolder: Bool
    /// The link names no path: it stays on the same page.
    var isSamePage: Bool
    var fragment: [UInt8]?
    /// The path part as written, for messages (`../a/`).
    var writtenPath: Substring

    enum Failure: Error {
        case rootRelative
        case aboveRoot
    }

    /// What a browser does with `url` on a page whose folder is `folder` (relative to the site root).
    static func resolve(_ url: String, folder: String) -> Result<BrowserURL, Failure> {
        let cleaned = clean(url)
        var target = Substring(cleaned)
        var fragment: [UInt8]?
        if let hash = target.firstIndex(of: "#") {
            fragment = decode(target[target.index(after: hash)...].utf8)
            target = target[..<hash]
        }
        if let question = target.firstIndex(of: "?") { target = target[..<question] }
        if target.hasPrefix("/") { return .failure(.rootRelative) }
        if target.isEmpty {
            return .success(BrowserURL(cleaned: cleaned, path: [], isFolder: false, isSamePage: true, fragment: fragment, writtenPath: target))
        }
        var segments: [[UInt8]] = folder.split(separator: "/").map { Array($0.utf8) }
        let parts = target.split(separator: "/", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            let last = index == parts.count - 1
            switch dots(part) {
            case 1:
                continue
            case 2:
                if segments.isEmpty { return .failure(.aboveRoot) }
                segments.removeLast()
            default:
                if part.isEmpty && !last { continue }
                if !part.isEmpty { segments.append(decode(part.utf8)) }
            }
        }
        var path: [UInt8] = []
        for (index, segment) in segments.enumerated() {
            if index > 0 { path.append(UInt8(ascii: "/")) }
            path += segment
        }
        let isFolder = target.hasSuffix("/") || dots(parts.last ?? "") > 0
        return .success(BrowserURL(cleaned: cleaned, path: path, isFolder: isFolder, isSamePage: false, fragment: fragment, writtenPath: target))
    }

    /// Leading and trailing C0 controls and spaces dropped, tabs and newlines removed, `\` made `/`.
    static func clean(_ url: String) -> String {
        guard url.utf8.contains(where: { $0 <= 0x20 || $0 == UInt8(ascii: "\\") }) else { return url }
        var bytes = Array(url.utf8)
        while let first = bytes.first, first <= 0x20 { bytes.removeFirst() }
        while let last = bytes.last, last <= 0x20 { bytes.removeLast() }
        bytes.removeAll { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        return String(decoding: bytes.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }, as: UTF8.self)
    }

    /// 1 for a `.` segment, 2 for `..`, as the URL standard reads them (`%2e` counts as a dot), else 0.
    static func dots(_ segment: Substring) -> Int {
        let lowered = segment.lowercased()
        switch lowered {
        case ".", "%2e": return 1
        case "..", ".%2e", "%2e.", "%2e%2e": return 2
        default: return 0
        }
    }

    /// Percent-decoding on bytes; a `%` not followed by two hex digits stays as it is (as browsers and
    /// servers do).
    static func decode(_ text: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(text)
        guard bytes.contains(UInt8(ascii: "%")) else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                result.append(high << 4 | low)
                index += 3
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
