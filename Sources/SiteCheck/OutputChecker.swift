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

/// One problem in one page, before problems with the same cause in many pages are merged into one
/// diagnostic: `head` and `tail` are the message around where the page is named.
public struct Finding: Sendable, Hashable {
    public var severity: Diagnostic.Severity
    public var location: SourceLocation
    public var head: String
    public var tail: String = ""
    /// Whether the problem comes from a template the check could not point into (named as a whole).
    public var fromTemplate = false
    public var page: String

    public init(severity: Diagnostic.Severity, location: SourceLocation, head: String, tail: String = "", fromTemplate: Bool = false, page: String) {
        self.severity = severity
        self.location = location
        self.head = head
        self.tail = tail
        self.fromTemplate = fromTemplate
        self.page = page
    }
}

/// What the check found in one page.
public struct PageCheck: Sendable {
    public var path: String
    public var findings: [Finding]
    public var external: [String]
    public var checked: Int

    package init(path: String, findings: [Finding], external: [String], checked: Int) {
        self.path = path
        self.findings = findings
        self.external = external
        self.checked = checked
    }
}

/// What the check found.
public struct CheckResult: Sendable {
    public var diagnostics: [Diagnostic]
    public var checkedLinks: Int
    /// Each page's external links, in page order.
    package var externalByPage: [(page: String, urls: [String])] = []

    /// Each external `http(s)` URL, with the pages that link to it (sorted). Worked out when asked
    /// (`orbis check --external`): every URL of a footer is on every page, and a build does not need them.
    public var externalLinks: [String: [String]] {
        var external: [String: Set<String>] = [:]
        for (page, urls) in externalByPage {
            for url in urls { external[url, default: []].insert(page) }
        }
        return external.mapValues { $0.sorted() }
    }

    /// What the scan found in each page, by path (a later check can reuse those of unchanged pages).
    public var scans: [String: ScannedPage] = [:]
    /// Each page's findings, by path (reusable while neither the page nor any id it can link to changed).
    public var pageChecks: [String: PageCheck] = [:]
    /// Each page's ids, by path (with the details): what a later `recheck` resolves fragments against.
    package var ids: OutputChecker.IDs = [:]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

extension CheckResult {
    /// A result to fill page by page (a build record read back).
    package init(diagnostics: [Diagnostic], checkedLinks: Int) {
        self.init(diagnostics: diagnostics, checkedLinks: checkedLinks, externalByPage: [])
    }
}

/// Checks a site's output as a browser would follow it: every internal `href`/`src`/`srcset` reaches a file that
/// exists, every `#fragment` an `id` in its target page; plus duplicate ids, images without `alt`, pages without
/// `<title>` or `lang`. Works on any output: the build's in-memory pages or a folder on disk.
public struct OutputChecker: Sendable {
    /// Every file in the output (pages and others), relative to it.
    public let files: Set<String>
    public var options: CheckOptions
    public var linkStyle: LinkStyle
    /// How many threads scan and check pages.
    public var threads = Parallelism.processors

    /// `files` as the bytes a browser's request must match (no Unicode normalization).
    let fileBytes: Set<[UInt8]>
    /// Where each link of the templates is written, to report a template's broken link at its line.
    let templateLinks: [TemplateLink]

    public init(files: Set<String>, options: CheckOptions = .init(), linkStyle: LinkStyle = .portable,
                templates: [TemplateSource] = []) {
        self.files = files
        self.fileBytes = Set(files.map { Array($0.utf8) })
        self.options = options
        self.linkStyle = linkStyle
        self.templateLinks = TemplateLink.all(in: templates)
    }

    /// Ids of each page, as bytes, by the page's path as bytes.
    package typealias IDs = [[UInt8]: Set<[UInt8]>]

    /// - Parameters:
    ///   - known: scans of pages whose HTML has not changed since they were made.
    ///   - reuse: earlier findings for pages whose HTML has not changed, valid only when no page's ids and no
    ///     output path changed either (the caller knows).
    ///   - keepingDetails: fill `scans`, `ids` and `pageChecks` of the result (for a cache; a one-off build
    ///     skips it); `keepingFindings`, only `pageChecks` (for a build record).
    public func check(_ pages: [CheckedPage], known: [String: ScannedPage] = [:], reuse: [String: PageCheck] = [:],
                      keepingDetails: Bool = true, keepingFindings: Bool = false) -> CheckResult {
        // Both passes run on all cores; results are merged in page order, so the report is the same.
        let scanned = parallelMap(pages, threads: threads) { known[$0.path] ?? HTMLScanner.scan($0.html) }
        var idsByPath: IDs = [:]
        idsByPath.reserveCapacity(pages.count)
        for (page, scan) in zip(pages, scanned) { idsByPath[Array(page.path.utf8)] = scan.idBytes }
        let perPage = parallelMap(pages.count, threads: threads) { index in
            reuse[pages[index].path] ?? checkPage(pages[index], scanned[index], ids: { idsByPath[$0] })
        }
        var findings: [Finding] = []
        var checked = 0
        for result in perPage {
            findings += result.findings
            checked += result.checked
        }
        var result = CheckResult(diagnostics: Self.merge(findings), checkedLinks: checked,
                                 externalByPage: perPage.map { ($0.path, $0.external) })
        if keepingDetails || keepingFindings {
            result.pageChecks = Dictionary(perPage.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        }
        if keepingDetails {
            result.scans = Dictionary(zip(pages.map(\.path), scanned), uniquingKeysWith: { a, _ in a })
            result.ids = idsByPath
        }
        return result
    }

    /// The check of a site of which only `changed` pages differ from the one `previous` (a check that kept
    /// its details) was made for: those pages are checked again, every other page's findings are the last
    /// ones. Valid only when the output has the same files as then and each changed page has the ids it had
    /// (so that no link elsewhere changed meaning): the caller proves both. `scans`: the changed pages'.
    /// `idsOf`: the ids of a page `previous` does not hold them for (a result read back without them).
    /// The same result as `check` of every page, in the time of the changed ones.
    public func recheck(_ changed: [CheckedPage], scans: [String: ScannedPage], previous: consuming CheckResult,
                        idsOf: ((_ path: [UInt8]) -> Set<[UInt8]>?)? = nil) -> CheckResult {
        var result = previous
        var external: [String: [String]] = [:]
        for page in changed {
            guard let scan = scans[page.path] else { continue }
            let check = checkPage(page, scan, ids: { [ids = result.ids] in ids[$0] ?? idsOf?($0) })
            result.scans[page.path] = scan
            result.pageChecks[page.path] = check
            external[page.path] = check.external
        }
        // Merged in page order (`externalByPage` has every page, in order), as `check` merges them.
        var findings: [Finding] = []
        var checked = 0
        for index in result.externalByPage.indices {
            let path = result.externalByPage[index].page
            guard let check = result.pageChecks[path] else { continue }
            findings += check.findings
            checked += check.checked
            if let urls = external[path] { result.externalByPage[index].urls = urls }
        }
        result.diagnostics = Self.merge(findings)
        result.checkedLinks = checked
        return result
    }

    /// One problem with one cause, reported once: the findings with the same message at the same place, in
    /// however many pages (a typo in a partial shows in every page that uses it), become one diagnostic that
    /// says how many pages it affects.
    package static func merge(_ findings: [Finding]) -> [Diagnostic] {
        struct Key: Hashable {
            var severity: Diagnostic.Severity
            var location: SourceLocation
            var head: String
            var tail: String
            var fromTemplate: Bool
        }
        var order: [Key] = []
        var pages: [Key: [String]] = [:]
        for finding in findings {
            let key = Key(severity: finding.severity, location: finding.location, head: finding.head, tail: finding.tail,
                          fromTemplate: finding.fromTemplate)
            if pages[key] == nil { order.append(key) }
            pages[key, default: []].append(finding.page)
        }
        return order.map { key in
            let list = Array(Set(pages[key]!)).sorted()
            let named = list.count == 1 ? " in page \(list[0])"
                : " in \(list.count) pages (\(list.count <= 3 ? list.dropLast().joined(separator: ", ") + " and " + list.last! : list.prefix(2).joined(separator: ", ") + " and \(list.count - 2) more"))"
            let origin = key.fromTemplate ? " (from the template or a partial it uses)" : ""
            return Diagnostic(key.severity, at: key.location, key.head + named + origin + key.tail)
        }.sorted()
    }

    /// One page's problems, its external links and how many internal links it has.
    func checkPage(_ page: CheckedPage, _ scan: ScannedPage, ids idsByPath: (_ path: [UInt8]) -> Set<[UInt8]>?) -> PageCheck {
        var findings: [Finding] = []
        var external: [String] = []
        var checked = 0
        do {
            var unusedLocations = page.markdownLinks
            /// Where a problem with `url` is reported: its Markdown position when the Markdown has that URL,
            /// else the template line that writes it (or the page's layout as a whole); and the link as its
            /// author wrote it.
            func origin(of url: String) -> (at: SourceLocation, fromTemplate: Bool, written: String) {
                if var list = unusedLocations[url], !list.isEmpty {
                    let first = list.removeFirst()
                    unusedLocations[url] = list
                    return (first.location, false, first.written)
                }
                if let link = TemplateLink.writing(url, in: templateLinks) { return (link.location, false, link.written) }
                return (templateLocation(page), true, url)
            }
            // A `<base>` anchors links at the site root, except on a 404 page, whose anchor is its own folder
            // (`zh/404.html` is anchored at `zh/`).
            let ownFolder = String(page.path[..<(page.path.lastIndex(of: "/") ?? page.path.startIndex)])
            let folder = scan.hasBase && !page.path.hasSuffix("404.html") ? "" : ownFolder
            for reference in scan.references {
                let url = BrowserURL.clean(reference.url)
                if url.isEmpty { continue }
                if isExternal(url) {
                    if url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("//") {
                        external.append(url)
                    }
                    continue
                }
                checked += 1
                if problem(with: url, in: page.path, folder: folder, ids: idsByPath) != nil {
                    let (at, fromTemplate, written) = origin(of: reference.url)
                    let problem = problem(with: url, shown: written.trimmingSpaces, in: page.path, folder: folder, ids: idsByPath)!
                    findings.append(Finding(severity: problem.isFolderLink ? .warning : options.links, location: at,
                                            head: problem.message, fromTemplate: fromTemplate, page: page.path))
                }
            }
            var seen: [String: Int] = [:]
            for id in scan.ids { seen[id, default: 0] += 1 }
            for (id, number) in seen.sorted(by: { $0.key < $1.key }) where number > 1 {
                findings.append(Finding(severity: options.html, location: page.source.map { SourceLocation.file($0) } ?? templateLocation(page),
                    head: "id '\(id)' is used \(number) times", tail: "; ids must be unique (a heading's id can clash with one from the template)", page: page.path))
            }
            for source in scan.imagesWithoutAlt {
                let (at, fromTemplate, written) = origin(of: source)
                findings.append(Finding(severity: options.html, location: at, head: "image '\(written)' has no alt attribute",
                                        tail: "; describe it, or write alt=\"\" if it is decorative", fromTemplate: fromTemplate, page: page.path))
            }
            if !scan.hasTitle {
                findings.append(Finding(severity: options.html, location: templateLocation(page), head: "no <title>", tail: "; add one to the template", page: page.path))
            }
            if (scan.lang ?? "").isEmpty {
                findings.append(Finding(severity: options.html, location: templateLocation(page), head: "no lang on <html>", tail: "; add lang=\"{{lang}}\" to the template", page: page.path))
            }
        }
        return PageCheck(path: page.path, findings: findings, external: external, checked: checked)
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
    /// check takes as the site root). Links are resolved as a browser would (`BrowserURL`) and compared with
    /// the output's files byte for byte.
    func problem(with url: String, shown: String? = nil, in path: String, folder: String, ids: (_ path: [UInt8]) -> Set<[UInt8]>?) -> Problem? {
        let quoted = shown ?? url
        let link: BrowserURL
        switch BrowserURL.resolve(url, folder: folder) {
        case .failure(.rootRelative):
            return Problem(message: "link '\(quoted)' starts at the server's root, so it breaks under a subpath and from disk; write it relative (link the .md file in Markdown, use {{root}} in templates)")
        case .failure(.aboveRoot):
            return Problem(message: "link '\(quoted)' climbs above the site's root")
        case .success(let resolved):
            link = resolved
        }
        func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
        let file: [UInt8]
        if link.isSamePage {
            file = Array(path.utf8)
        } else if link.path.isEmpty || link.isFolder {
            let index = link.path.isEmpty ? Array("index.html".utf8) : link.path + Array("/index.html".utf8)
            guard fileBytes.contains(index) else {
                return Problem(message: "broken link '\(quoted)': there is no \(text(index)) in the output" + nearMiss(index))
            }
            if linkStyle == .portable {
                let written = link.writtenPath.hasSuffix("/") || link.writtenPath.isEmpty ? String(link.writtenPath) : link.writtenPath + "/"
                return Problem(message: "link '\(quoted)' leads to a folder, which opens as a file listing from disk; link '\(written)index.html' (a Markdown link to the .md file does this)", isFolderLink: true)
            }
            file = index
        } else if fileBytes.contains(link.path) {
            file = link.path
        } else if fileBytes.contains(link.path + Array("/index.html".utf8)) {
            if linkStyle == .portable {
                return Problem(message: "link '\(quoted)' leads to a folder, which opens as a file listing from disk; link '\(link.writtenPath)/index.html' (a Markdown link to the .md file does this)", isFolderLink: true)
            }
            file = link.path + Array("/index.html".utf8)
        } else {
            return Problem(message: "broken link '\(quoted)': there is no \(text(link.path)) in the output" + nearMiss(link.path))
        }
        if let fragment = link.fragment, !fragment.isEmpty, fragment != Array("top".utf8), let targetIDs = ids(file),
           !targetIDs.contains(fragment) {
            return Problem(message: "broken link '\(quoted)': \(text(file)) has no element with id '\(text(fragment))'")
        }
        return nil
    }

    /// When a missing file's name is the same as an existing one's in another Unicode normalization or case
    /// (what a browser, unlike a Mac, does not forgive), says so.
    func nearMiss(_ path: [UInt8]) -> String {
        let wanted = String(decoding: path, as: UTF8.self)
        guard let twin = files.first(where: { $0 == wanted || $0.lowercased() == wanted.lowercased() }) else { return "" }
        let how = twin == wanted ? "the same name in another Unicode normalization (NFC/NFD)" : "a name that differs only in case"
        return " (the output has \(twin), \(how); a browser asks for the exact bytes)"
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

/// A link written in a template (`href`, `src` or `srcset`): where, as written, and the part after the last
/// Mustache tag, which every page's URL for it ends with (`{{root}}assets/site.css` → `assets/site.css`).
struct TemplateLink: Sendable {
    var location: SourceLocation
    var written: String
    var tail: String

    static func all(in templates: [TemplateSource]) -> [TemplateLink] {
        var result: [TemplateLink] = []
        for template in templates {
            let chars = Array(template.text.unicodeScalars)
            var line = 1, column = 1, index = 0
            /// `word` (lowercase ASCII) at `i`, in any case.
            func matches(_ word: [UInt8], at i: Int) -> Bool {
                guard i + word.count <= chars.count else { return false }
                for offset in 0..<word.count {
                    let value = chars[i + offset].value
                    let lowered = (65...90).contains(value) ? value + 32 : value
                    if lowered != UInt32(word[offset]) { return false }
                }
                return true
            }
            while index < chars.count {
                var found: [UInt8]?
                if chars[index] == "h" || chars[index] == "s" || chars[index] == "H" || chars[index] == "S",
                   index == 0 || chars[index - 1] == " " || chars[index - 1] == "\n" || chars[index - 1] == "\t" {
                    found = Self.attributes.first { matches($0, at: index) }
                }
                if let attribute = found {
                    let start = index + attribute.count
                    var end = start
                    while end < chars.count, chars[end] != "\"" { end += 1 }
                    let value = String(String.UnicodeScalarView(chars[start..<end]))
                    let tail = Self.afterLastTag(value)
                    result.append(TemplateLink(location: SourceLocation(file: template.path, line: line, column: column + attribute.count),
                                               written: value, tail: tail))
                }
                if chars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
                index += 1
            }
        }
        return result
    }

    static let attributes: [[UInt8]] = ["href=\"", "src=\"", "srcset=\""].map { Array($0.utf8) }

    /// What follows the last `}}` of `value` (all of it when it has no tag).
    static func afterLastTag(_ value: String) -> String {
        let scalars = Array(value.unicodeScalars)
        var index = scalars.count - 1
        while index > 0 {
            if scalars[index] == "}", scalars[index - 1] == "}" { return String(String.UnicodeScalarView(scalars[(index + 1)...])) }
            index -= 1
        }
        return value
    }

    /// The template link a page's `url` most likely comes from: the one whose fixed tail is the longest
    /// ending of `url` (none when no template writes a fixed part of it).
    static func writing(_ url: String, in links: [TemplateLink]) -> TemplateLink? {
        var best: TemplateLink?
        for link in links where !link.tail.isEmpty && url.hasSuffix(link.tail) {
            if link.tail.count > (best?.tail.count ?? 0) { best = link }
        }
        return best
    }
}
