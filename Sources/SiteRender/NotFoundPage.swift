import SiteModel

/// `404.html` is served for missing pages at any depth (`/a/b/c`) and under any subpath, yet its links are
/// written relative to the site root. This anchors them: with `base_url`, a `<base>` naming the site's path;
/// without, a small script that finds the site root by asking for `404.html` in each enclosing folder
/// (deepest first; only the real one answers 200) and sets `<base>` to it before any stylesheet loads.
enum NotFoundPage {
    static let script = #"<script>/* orbis: anchor this page's links at the site root, at any depth */(function(){if(location.protocol==="file:")return;var d=location.pathname.replace(/[^/]*$/,"");while(d.length>1){try{var r=new XMLHttpRequest();r.open("HEAD",d+"404.html",false);r.send();if(r.status===200)break}catch(e){}d=d.replace(/[^/]*\/$/,"")}var b=document.createElement("base");b.href=d;document.head.appendChild(b)})()</script>"#
        + keepFragments

    /// With a `<base>`, `href="#content"` would lead to the home page; this keeps such links on this page
    /// (without rewriting the attribute, which would hide the skip link from tools that look for `#…`).
    static let keepFragments = ##"<script>document.addEventListener("click",function(e){var a=e.target.closest&&e.target.closest('a[href^="#"]');if(a){e.preventDefault();location.hash=a.getAttribute("href").slice(1)}})</script>"##

    /// Inserts the anchor right after `<meta charset>` (or `<head>`), before anything that loads a URL.
    static func anchor(_ html: String, baseURL: String?) -> String {
        let tag: String
        if let baseURL, let path = sitePath(of: baseURL) {
            tag = "<base href=\"\(HTML.escape(path))\">" + keepFragments
        } else {
            tag = script
        }
        let lower = html.lowercased()
        for marker in ["<meta charset", "<head"] {
            guard let start = lower.range(of: marker), let end = lower[start.upperBound...].firstIndex(of: ">") else { continue }
            let offset = lower.distance(from: lower.startIndex, to: end) + 1
            let index = html.index(html.startIndex, offsetBy: offset)
            return String(html[..<index]) + tag + String(html[index...])
        }
        return tag + html
    }

    /// `/global/` from `https://example.org/global/`.
    static func sitePath(of baseURL: String) -> String? {
        guard let scheme = baseURL.range(of: "://") else { return nil }
        let rest = baseURL[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }
}
