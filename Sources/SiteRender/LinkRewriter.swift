import SiteMarkdown
import SiteModel

/// Rewrites link destinations written in Markdown into page-relative URLs: `programs/ottawa.md` becomes the
/// URL of that page, `../index.md#history` the home page's `#history`, `/about/` a relative path, and an image
/// beside the Markdown file a path that works from the page's folder.
struct LinkRewriter {
    let pages: [String: Page]
    /// Partner ids: `partners/<id>.md` links to the partner's generated page.
    var partnerIDs: Set<String> = []

    func resolve(_ url: String, sourceFolder: String, route: String) -> LinkResolution {
        if url.isEmpty || url.hasPrefix("#") || url.hasPrefix("//") || Self.hasScheme(url) { return .keep }
        var path = Substring(url)
        var suffix = ""
        if let cut = path.firstIndex(where: { $0 == "#" || $0 == "?" }) {
            suffix = String(path[cut...])
            path = path[..<cut]
        }
        let decoded = String(path).removingPercentEncodingSafely
        guard let resolved = RelativeURL.resolve(decoded, against: sourceFolder) else {
            return .error("link '\(url)' points above Content/; fix the number of '../'")
        }
        if decoded.hasSuffix(".md") {
            if resolved.hasPrefix("partners/"), partnerIDs.contains(String(resolved.dropFirst(9).dropLast(3))) {
                return .replace(RelativeURL.from(route, to: "/" + String(resolved.dropLast(3)) + "/") + suffix)
            }
            guard let target = pages[resolved] else {
                return .error("link to '\(url)': Content/\(resolved) does not exist (or is a draft); fix the path, relative to this file")
            }
            return .replace(RelativeURL.from(route, to: target.route) + suffix)
        }
        let sitePath = "/" + resolved + (decoded.hasSuffix("/") && !resolved.isEmpty ? "/" : "")
        return .replace(RelativeURL.from(route, to: sitePath) + suffix)
    }

    static func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
            && scheme.first!.isLetter
    }
}

extension String {
    /// Percent-decoding that leaves the text unchanged when it is not valid percent-encoding.
    var removingPercentEncodingSafely: String {
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
