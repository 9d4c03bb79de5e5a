/// Page-relative URLs, so one output folder works at a domain root, under any subpath and from disk.
public enum RelativeURL {
    /// The URL that leads from the page at route `from` (`/a/b/`) to the site path `to`
    /// (a route like `/c/` or a file like `/assets/site.css`).
    public static func from(_ from: String, to: String) -> String {
        let base = from.split(separator: "/")
        var target = to.split(separator: "/", omittingEmptySubsequences: true)
        let isDirectory = to.hasSuffix("/")
        var common = 0
        while common < base.count, common < target.count - (isDirectory ? 0 : 1), base[common] == target[common] {
            common += 1
        }
        target.removeFirst(common)
        var result = String(repeating: "../", count: base.count - common) + target.joined(separator: "/")
        if isDirectory && !target.isEmpty { result += "/" }
        return result.isEmpty ? "./" : result
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
        resolve(path, against: base.split(separator: "/"))
    }

    /// `resolve(_:against:)` with the folder already split into its names, for callers that resolve many
    /// links against one folder.
    public static func resolve(_ path: String, against base: [Substring]) -> String? {
        var parts = path.hasPrefix("/") ? [] : base
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
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
