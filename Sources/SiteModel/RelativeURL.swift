/// Page-relative URLs, so one output folder works at a domain root, under any subpath and from disk.
public enum RelativeURL {
    /// The URL that leads from the page at route `from` (`/a/b/`) to the site path `to`
    /// (a route like `/c/` or a file like `/assets/site.css`).
    public static func from(_ from: String, to: String) -> String {
        // Byte-level: called for every menu item, breadcrumb and link of every page.
        var from = from, to = to
        let bytes: [UInt8] = from.withUTF8 { base in
            to.withUTF8 { target in
                let baseNames = names(in: base), targetNames = names(in: target)
                let isDirectory = target.last == UInt8(ascii: "/")
                var common = 0
                while common < baseNames.count, common < targetNames.count - (isDirectory ? 0 : 1),
                      base[baseNames[common]].elementsEqual(target[targetNames[common]]) {
                    common += 1
                }
                var result: [UInt8] = []
                result.reserveCapacity(3 * (baseNames.count - common) + target.count)
                for _ in common..<baseNames.count { result += [UInt8(ascii: "."), UInt8(ascii: "."), UInt8(ascii: "/")] }
                for index in common..<targetNames.count {
                    if index > common { result.append(UInt8(ascii: "/")) }
                    result += target[targetNames[index]]
                }
                if isDirectory && common < targetNames.count { result.append(UInt8(ascii: "/")) }
                return result
            }
        }
        return bytes.isEmpty ? "./" : encode(bytes)
    }

    /// Bytes a path keeps as they are (RFC 3986: unreserved, sub-delims, `@` and `/`); everything else —
    /// space, `#`, `?`, `%`, `:`, `\\`, controls, every non-ASCII byte — is percent-encoded, so that a file
    /// named `Report #3.md` or `café.md` (in whatever normalization it was saved) is requested by a browser
    /// exactly as it is on disk. (`:` is encoded too: in a first segment it would read as a scheme.)
    static let keptInPaths: [Bool] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "@"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="): true
        default: false
        }
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    /// `bytes` as a URL path, percent-encoding what a path cannot hold as it is.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        guard bytes.contains(where: { !keptInPaths[Int($0)] }) else { return String(decoding: bytes, as: UTF8.self) }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 16)
        for byte in bytes {
            if keptInPaths[Int(byte)] {
                result.append(byte)
            } else {
                result += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// A site path (a route or a file, without the leading `/`), percent-encoded for a URL.
    public static func encodedPath(_ path: some StringProtocol) -> String { encode(path.utf8) }

    /// A fragment (a heading's id) for a URL, percent-encoded the same way (`/` and `?` could stay, but an id
    /// never needs them).
    public static func encodedFragment(_ fragment: String) -> String { encode(fragment.utf8) }

    /// The ranges of the non-empty names between `/` in `path`.
    private static func names(in path: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        for index in 0...path.count where index == path.count || path[index] == UInt8(ascii: "/") {
            if index > start { result.append(start..<index) }
            start = index + 1
        }
        return result
    }

    /// Like `from(_:to:)`, in the site's link style: with `.portable`, a link to a folder names its
    /// `index.html`, so it works from disk and on hosts without directory indexes.
    public static func from(_ from: String, to: String, style: LinkStyle) -> String {
        let url = Self.from(from, to: to)
        guard style == .portable, url.hasSuffix("/") else { return url }
        return url == "./" ? "index.html" : url + "index.html"
    }

    /// The prefix that leads from the page at `route` to the site root: `""`, `"../"`, `"../../"`…
    public static func root(from route: String) -> String {
        String(repeating: "../", count: route.split(separator: "/").count)
    }

    /// Whether `url` starts with a scheme (`https:`, `mailto:`, `data:`…), i.e. leads outside the site.
    /// A scheme is ASCII (RFC 3986 §3.1): a letter, then letters, digits, `+`, `-` or `.`.
    public static func hasScheme(_ url: String) -> Bool {
        var bytes = url.utf8.makeIterator()
        guard let first = bytes.next(), isASCIILetter(first) else { return false }
        while let byte = bytes.next() {
            if byte == UInt8(ascii: ":") { return true }
            guard isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "+")
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") else { return false }
        }
        return false
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// Resolves `path` (which may contain `.` and `..`) against the folder `base` (both without leading `/`).
    /// Returns nil when it climbs above the root.
    public static func resolve(_ path: String, against base: String) -> String? {
        var path = path, base = base
        let bytes: [UInt8]? = base.withUTF8 { base in
            path.withUTF8 { path in
                var result: [UInt8] = []
                result.reserveCapacity(base.count + path.count + 1)
                if path.first != UInt8(ascii: "/") {
                    for name in names(in: base) {
                        if !result.isEmpty { result.append(UInt8(ascii: "/")) }
                        result += base[name]
                    }
                }
                for name in names(in: path) {
                    let part = path[name]
                    if part.count == 1 && part.first == UInt8(ascii: ".") { continue }
                    if part.count == 2 && part.allSatisfy({ $0 == UInt8(ascii: ".") }) {
                        if result.isEmpty { return nil }
                        result.removeSubrange((result.lastIndex(of: UInt8(ascii: "/")) ?? 0)...)
                        continue
                    }
                    if !result.isEmpty { result.append(UInt8(ascii: "/")) }
                    result += part
                }
                return result
            }
        }
        return bytes.map { String(decoding: $0, as: UTF8.self) }
    }
}

extension String {
    /// Percent-decoding that leaves the text unchanged when it is not valid percent-encoding.
    public var removingPercentEncodingSafely: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let h = iterator.next(), let l = iterator.next(),
                  let value = UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16) else { return self }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self) ?? self
    }
}
