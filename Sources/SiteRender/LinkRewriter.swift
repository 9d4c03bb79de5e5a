import SiteMarkdown
import SiteModel

/// Rewrites link destinations written in Markdown into page-relative URLs: `programs/ottawa.md` becomes the
/// URL of that page, `../index.md#history` the home page's `#history`, `/about/` a relative path, and an image
/// beside the Markdown file a path that works from the page's folder.
struct LinkRewriter {
    let pages: [String: Page]
    /// A record's prose file (`people/ada.md`) → its page's route: a link to it leads to the record's page.
    var recordRoutes: [String: String] = [:]
    var style: LinkStyle = .portable
    /// Content paths of drafts (a link to one gets its own message).
    var drafts: Set<String> = []
    /// Notes the files the page's links lead to (`RenderedPage.reads`).
    var reads: PageReads?

    func resolve(_ url: String, sourceFolder: String, route: String) -> LinkResolution {
        if url.isEmpty || url.hasPrefix("#") || url.hasPrefix("//") { return .keep }
        if RelativeURL.hasScheme(url) {
            // Links leave the site only for the web, mail and the phone (even with unsafe_html, which is
            // about raw HTML): a `javascript:` link would run when clicked.
            let scheme = url.prefix { $0 != ":" }.lowercased()
            if ["http", "https", "mailto", "tel"].contains(scheme) { return .keep }
            if scheme == "data", url.lowercased().hasPrefix("data:image/"), !url.lowercased().hasPrefix("data:image/svg") { return .keep }
            return .error("link '\(url)' uses '\(scheme):', which Orbis does not publish; only http(s), mailto: and tel: links leave the site")
        }
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
            reads?.link(resolved)
            if let target = recordRoutes[resolved] {
                return .replace(RelativeURL.from(route, to: target, style: style) + suffix)
            }
            guard let target = pages[resolved] else {
                if drafts.contains(resolved) {
                    return .error("link to '\(url)': Content/\(resolved) is a draft (draft: true), so it is not published; remove the link, or build with --drafts")
                }
                let nearest = Suggestion.nearest(to: resolved, in: pages.keys.sorted())
                return .error("link to '\(url)': Content/\(resolved) does not exist"
                    + (nearest.map { "; did you mean '\(RelativeURL.from(sourceFolder.isEmpty ? "/" : "/\(sourceFolder)/", to: "/" + $0))'?" } ?? "; fix the path, relative to this file"))
            }
            return .replace(RelativeURL.from(route, to: target.route, style: style) + suffix)
        }
        let sitePath = "/" + resolved + (decoded.hasSuffix("/") && !resolved.isEmpty ? "/" : "")
        return .replace(RelativeURL.from(route, to: sitePath, style: style) + suffix)
    }
}
