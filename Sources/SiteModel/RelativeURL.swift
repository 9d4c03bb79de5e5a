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
    public static func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.first!.isLetter && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
    }

    /// Resolves `path` (which may contain `.` and `..`) against the folder `base` (both without leading `/`).
    /// Returns nil when it climbs above the root.
    public static func resolve(_ path: String, against base: String) -> String? {
        var parts = path.hasPrefix("/") ? [] : base.split(separator: "/").map(String.init)
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(String(part))
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
