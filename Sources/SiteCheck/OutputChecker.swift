import SiteModel

/// One HTML page to check: its path in the output and where its parts came from.
public struct CheckedPage: Sendable {
    /// Path inside the output folder, e.g. `programs/index.html`.
    public var path: String
    public var html: String
    /// The template it was rendered with (reported for problems that did not come from Markdown).
    public var layout: String
    /// The Markdown position of each link and image of its body, by the URL written into the HTML.
    public var markdownLinks: [String: [LinkOrigin]]
    /// The Markdown file of its body, if any.
    public var source: String?

    public init(path: String, html: String, layout: String = "", markdownLinks: [String: [LinkOrigin]] = [:],
                source: String? = nil) {
        self.path = path
        self.html = html
        self.layout = layout
        self.markdownLinks = markdownLinks
        self.source = source
    }
}

/// What the check found in one page.
public struct PageCheck: Sendable {
    public var path: String
    public var diagnostics: [Diagnostic]
    public var external: [String]
    public var checked: Int
}

/// What the check found.
public struct CheckResult: Sendable {
    public var diagnostics: [Diagnostic]
    /// Each external `http(s)` URL, with the pages that link to it (sorted).
    public var externalLinks: [String: [String]]
    public var checkedLinks: Int

    /// What the scan found in each page, by path (a later check can reuse those of unchanged pages).
    public var scans: [String: ScannedPage] = [:]
    /// Each page's findings, by path (reusable while neither the page nor any id it can link to changed).
    public var pageChecks: [String: PageCheck] = [:]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// Checks a site's output as a browser would follow it: every internal `href`/`src`/`srcset` reaches a file that
/// exists, every `#fragment` an `id` in its target page; plus duplicate ids, images without `alt`, pages without
/// `<title>` or `lang`. Works on any output: the build's in-memory pages or a folder on disk.
public struct OutputChecker: Sendable {
    /// Every file in the output (pages and others), relative to it.
    public let files: Set<String>
    public var options: CheckOptions
    public var linkStyle: LinkStyle

    public init(files: Set<String>, options: CheckOptions = .init(), linkStyle: LinkStyle = .portable) {
        self.files = files
        self.options = options
        self.linkStyle = linkStyle
    }

    /// - Parameters:
    ///   - known: scans of pages whose HTML has not changed since they were made.
    ///   - reuse: earlier findings for pages whose HTML has not changed, valid only when no page's ids and no
    ///     output path changed either (the caller knows).
    ///   - keepingDetails: fill `scans` and `pageChecks` of the result (for a cache; a one-off build skips it).
    public func check(_ pages: [CheckedPage], known: [String: ScannedPage] = [:], reuse: [String: PageCheck] = [:],
                      keepingDetails: Bool = true) -> CheckResult {
        // Both passes run on all cores; results are merged in page order, so the report is the same.
        let scanned = parallelMap(pages) { known[$0.path] ?? HTMLScanner.scan($0.html) }
        var idsByPath: [String: Set<String>] = [:]
        idsByPath.reserveCapacity(pages.count)
        for (page, scan) in zip(pages, scanned) { idsByPath[page.path] = scan.idSet }
        let perPage = parallelMap(pages.count) { index in
            reuse[pages[index].path] ?? checkPage(pages[index], scanned[index], ids: idsByPath)
        }
        var diagnostics: [Diagnostic] = []
        var external: [String: Set<String>] = [:]
        var checked = 0
        for result in perPage {
            diagnostics += result.diagnostics
            checked += result.checked
            for url in result.external { external[url, default: []].insert(result.path) }
        }
        var result = CheckResult(diagnostics: diagnostics.sorted(), externalLinks: external.mapValues { $0.sorted() }, checkedLinks: checked)
        if keepingDetails {
            result.scans = Dictionary(zip(pages.map(\.path), scanned), uniquingKeysWith: { a, _ in a })
            result.pageChecks = Dictionary(perPage.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        }
        return result
    }

    /// One page's problems, its external links and how many internal links it has.
    func checkPage(_ page: CheckedPage, _ scan: ScannedPage, ids idsByPath: [String: Set<String>]) -> PageCheck {
        var diagnostics: [Diagnostic] = []
        var external: [String] = []
        var checked = 0
        do {
            var unusedLocations = page.markdownLinks
            /// Where a problem with `url` is reported: its Markdown position when the Markdown has that URL,
            /// else the page's template; and the link as its author wrote it.
            func origin(of url: String) -> (at: SourceLocation, context: String, written: String) {
                if var list = unusedLocations[url], !list.isEmpty {
                    let first = list.removeFirst()
                    unusedLocations[url] = list
                    return (first.location, " in page \(page.path)", first.written)
                }
                return (templateLocation(page), " in page \(page.path) (from the template or a partial it uses)", url)
            }
            let folder = scan.hasBase ? "" : String(page.path[..<(page.path.lastIndex(of: "/") ?? page.path.startIndex)])
            for reference in scan.references {
                let url = reference.url.trimmingSpaces
                if url.isEmpty { continue }
                if isExternal(url) {
                    if url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("//") {
                        external.append(url)
                    }
                    continue
                }
                checked += 1
                if problem(with: url, in: page.path, folder: folder, ids: idsByPath) != nil {
                    let (at, context, written) = origin(of: reference.url)
                    let problem = problem(with: url, shown: written.trimmingSpaces, in: page.path, folder: folder, ids: idsByPath)!
                    diagnostics.append(Diagnostic(problem.isFolderLink ? .warning : options.links, at: at,
                                                  "\(problem.message)\(context)"))
                }
            }
            var seen: [String: Int] = [:]
            for id in scan.ids { seen[id, default: 0] += 1 }
            for (id, number) in seen.sorted(by: { $0.key < $1.key }) where number > 1 {
                diagnostics.append(Diagnostic(options.html, at: page.source.map { SourceLocation.file($0) } ?? templateLocation(page),
                    "id '\(id)' is used \(number) times in page \(page.path); ids must be unique (a heading's id can clash with one from the template)"))
            }
            for source in scan.imagesWithoutAlt {
                let (at, context, _) = origin(of: source)
                diagnostics.append(Diagnostic(options.html, at: at,
                    "image '\(source)' has no alt attribute\(context); describe it, or write alt=\"\" if it is decorative"))
            }
            if !scan.hasTitle {
                diagnostics.append(Diagnostic(options.html, at: templateLocation(page), "page \(page.path) has no <title>; add one to the template"))
            }
            if (scan.lang ?? "").isEmpty {
                diagnostics.append(Diagnostic(options.html, at: templateLocation(page), "page \(page.path) has no lang on <html>; add lang=\"{{site.language}}\" to the template"))
            }
        }
        return PageCheck(path: page.path, diagnostics: diagnostics, external: external, checked: checked)
    }

    func templateLocation(_ page: CheckedPage) -> SourceLocation {
        SourceLocation.file(page.layout.isEmpty ? page.path : "Templates/\(page.layout).mustache")
    }

    struct Problem {
        var message: String
        var isFolderLink = false
    }

    /// What is wrong with the internal link `url` on the page at `path`, if anything, quoting it as `shown`
    /// (what its author wrote). `folder` is the page's folder (empty when the page sets `<base>`, which the
    /// check takes as the site root).
    func problem(with url: String, shown: String? = nil, in path: String, folder: String, ids: [String: Set<String>]) -> Problem? {
        let quoted = shown ?? url
        var target = Substring(url)
        var fragment: String?
        if let hash = target.firstIndex(of: "#") {
            fragment = String(target[target.index(after: hash)...]).removingPercentEncodingSafely
            target = target[..<hash]
        }
        if let question = target.firstIndex(of: "?") { target = target[..<question] }
        if target.hasPrefix("/") {
            return Problem(message: "link '\(quoted)' starts at the server's root, so it breaks under a subpath and from disk; write it relative (link the .md file in Markdown, use {{root}} in templates)")
        }
        let file: String
        if target.isEmpty {
            file = path
        } else {
            guard let resolved = RelativeURL.resolve(String(target).removingPercentEncodingSafely, against: folder) else {
                return Problem(message: "link '\(quoted)' climbs above the site's root")
            }
            if resolved.isEmpty || target.hasSuffix("/") {
                let index = resolved.isEmpty ? "index.html" : resolved + "/index.html"
                guard files.contains(index) else {
                    return Problem(message: "broken link '\(quoted)': there is no \(index) in the output")
                }
                if linkStyle == .portable {
                    return Problem(message: "link '\(quoted)' leads to a folder, which opens as a file listing from disk; link '\(target)index.html' (a Markdown link to the .md file does this)", isFolderLink: true)
                }
                file = index
            } else if files.contains(resolved) {
                file = resolved
            } else if files.contains(resolved + "/index.html") {
                if linkStyle == .portable {
                    return Problem(message: "link '\(quoted)' leads to a folder, which opens as a file listing from disk; link '\(target)/index.html' (a Markdown link to the .md file does this)", isFolderLink: true)
                }
                file = resolved + "/index.html"
            } else {
                return Problem(message: "broken link '\(quoted)': there is no \(resolved) in the output")
            }
        }
        if let fragment, !fragment.isEmpty, fragment != "top", let targetIDs = ids[file], !targetIDs.contains(fragment) {
            return Problem(message: "broken link '\(quoted)': \(file) has no element with id '\(fragment)'")
        }
        return nil
    }

    func isExternal(_ url: String) -> Bool {
        url.hasPrefix("//") || RelativeURL.hasScheme(url)
    }
}

extension String {
    var trimmingSpaces: String {
        guard let first = first, let last = last, first.isWhitespace || last.isWhitespace else { return self }
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
