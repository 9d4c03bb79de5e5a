@testable import SiteCheck
import SiteModel
import Testing

@Suite struct HTMLScannerTests {
    @Test func findsLinksIdsAndFactsButNotInsideCommentsOrScripts() {
        let page = HTMLScanner.scan("""
            <!doctype html><HTML lang=zh-Hans><head><title> T </title>
            <!-- <a href="commented.html" id="c"> -->
            <script>document.write('<a href="scripted.html">')</script><style>a[href="x"]{}</style>
            </head><body><a HREF='a.html?x=1&amp;y=2#s%20t' id="one">a</a><a name=old>o</a>
            <img src="i.png" srcset="i-1.png 1x, i-2.png 2x"><img src="ok.png" alt="">
            <p id="one"></p></body></html>
            """)
        #expect(page.lang == "zh-Hans")
        #expect(page.hasTitle)
        #expect(page.references.map(\.url) == ["a.html?x=1&y=2#s%20t", "i.png", "i-1.png", "i-2.png", "ok.png"])
        #expect(page.ids == ["one", "old", "one"])
        #expect(page.imagesWithoutAlt == ["i.png"])
    }

    @Test func anEmptyTitleOrAMissingLangIsNoticed() {
        let page = HTMLScanner.scan("<html><title>  </title></html>")
        #expect(!page.hasTitle)
        #expect(page.lang == nil)
    }
}

@Suite struct OutputCheckerTests {
    let files: Set<String> = ["index.html", "a/index.html", "a/b.png", "assets/site.css"]

    func problems(_ html: String, at path: String = "index.html", style: LinkStyle = .portable,
                  markdown: [String: [LinkOrigin]] = [:]) -> [String] {
        let pages = [
            CheckedPage(path: "a/index.html", html: "<html lang=en><title>A</title><h2 id=\"why\">Why</h2>", layout: "page"),
            CheckedPage(path: path, html: "<html lang=en><title>T</title>" + html, layout: "page", markdownLinks: markdown, source: "Content/x.md"),
        ]
        return OutputChecker(files: files, linkStyle: style).check(pages).diagnostics.map(\.description)
    }

    @Test func linksThatReachFilesAndIdsPass() {
        #expect(problems(##"<a href="a/index.html#why"></a><img src="a/b.png" alt=""><a href="#top"></a><a href="https://x.org/"></a><a href="mailto:a@b.c"></a>"##) == [])
        #expect(problems(#"<a href="../index.html"></a><a href="b.png?v=2"></a><a href="index.html#why"></a>"#, at: "a/c.html") == [])
    }

    @Test func brokenLinksAnchorsAndRootLinksAreErrorsAtTheirMarkdownPosition() {
        let here = SiteModel.SourceLocation(file: "Content/x.md", line: 7, column: 3)
        #expect(problems(#"<a href="a/missing.html"></a>"#, markdown: ["a/missing.html": [LinkOrigin(location: here, written: "a/missing.html")]]) == [
            "Content/x.md:7:3: error: broken link 'a/missing.html': there is no a/missing.html in the output in page index.html",
        ])
        // Quoted as the author wrote it, not as it was rewritten for the page.
        #expect(problems(#"<a href="../a/b.jpg"></a>"#, at: "c/index.html", markdown: ["../a/b.jpg": [LinkOrigin(location: here, written: "a/b.jpg")]]) == [
            "Content/x.md:7:3: error: broken link 'a/b.jpg': there is no a/b.jpg in the output in page c/index.html",
        ])
        #expect(problems(#"<a href="a/index.html#how"></a>"#) == [
            "Templates/page.mustache: error: broken link 'a/index.html#how': a/index.html has no element with id 'how' in page index.html (from the template or a partial it uses)",
        ])
        #expect(problems(#"<a href="/a/index.html"></a>"#).first?.contains("starts at the server's root, so it breaks under a subpath and from disk") == true)
        #expect(problems(#"<a href="../x.html"></a>"#).first?.contains("climbs above the site's root") == true)
    }

    @Test func folderLinksWarnOnlyForPortableSites() {
        #expect(problems(#"<a href="a/"></a>"#) == [
            "Templates/page.mustache: warning: link 'a/' leads to a folder, which opens as a file listing from disk; link 'a/index.html' (a Markdown link to the .md file does this) in page index.html (from the template or a partial it uses)",
        ])
        #expect(problems(##"<a href="a/"></a><a href="a"></a><a href="a/#why"></a>"##, style: .clean) == [])
    }
}

/// Links resolved as a browser resolves them, on bytes (the check resolves every link of every page).
@Suite struct BrowserURLTests {
    @Test(arguments: [
        ("a/b.html", "x/y", "x/y/a/b.html", false), ("../c/", "x/y", "x/c", true), ("./", "x/y", "x/y", true),
        ("../../index.html", "x/y", "index.html", false), ("a/./b/../c", "", "a/c", false), ("%2e%2E/z", "x/y", "x/z", false),
        (".%2e/", "x", "", true), ("a/..", "x", "x", true), ("a//b", "", "a/b", false), ("a\\b", "", "a/b", false),
        ("%41%zz", "", "A%zz", false), ("p?q=1#f", "s", "s/p", false), ("  a b\t.html ", "", "a b.html", false),
        ("%E4%BC%99/", "zh", "zh/\u{4F19}", true), ("...", "", "...", false), (".", "x", "x", true),
    ])
    func resolves(_ url: String, _ folder: String, _ path: String, _ isFolder: Bool) throws {
        let link = try BrowserURL.resolve(url, folder: folder).get()
        #expect(String(decoding: link.path, as: UTF8.self) == path)
        #expect(link.isFolder == isFolder)
        #expect(!link.isSamePage)
    }

    @Test func samePageRootAndAboveRoot() throws {
        let fragment = try BrowserURL.resolve("#top%20x", folder: "a").get()
        #expect(fragment.isSamePage && fragment.fragment == Array("top x".utf8))
        #expect(try BrowserURL.resolve("?q", folder: "a").get().isSamePage)
        #expect(throws: BrowserURL.Failure.rootRelative) { try BrowserURL.resolve("/a/", folder: "x").get() }
        #expect(throws: BrowserURL.Failure.aboveRoot) { try BrowserURL.resolve("../../b", folder: "x").get() }
        #expect(try BrowserURL.resolve("../a/?x#y", folder: "b/c").get().writtenPath == "../a/")
    }
}
