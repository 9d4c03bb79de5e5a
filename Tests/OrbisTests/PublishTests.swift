import Foundation
import Testing

/// Publishing: `orbis check` on an existing output, external links, and what `base_url` adds.
@Suite(.serialized) struct PublishTests {
    @Test func checkFindsWhatIsBrokenInAnExistingOutputAndWritesNothing() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        try "---\ntitle: About\n---\nIntro.\n\nSee [France](programs/france.md).\n"
            .write(to: site.appendingPathComponent("Content/about.md"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["build", "--root", site.path]).status == 0)
        let clean = try CLI.run(["check", "--root", site.path])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.hasSuffix("No errors in 6 pages, 9 files of \(site.path)/Output (0 warnings)\n"))

        try FileManager.default.removeItem(at: site.appendingPathComponent("Output/programs/france/index.html"))
        let output = try CLI.files(in: site.appendingPathComponent("Output"))
        let manifest = try String(contentsOf: site.appendingPathComponent("Output.manifest.json"), encoding: .utf8)
        let broken = try CLI.run(["check", "--root", site.path])
        #expect(broken.status == 1)
        let lines = broken.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("Content/about.md:6:5: error: broken link 'programs/france.md': there is no programs/france/index.html in the output in page about/index.html"))
        #expect(lines.last?.hasPrefix("error: check found ") == true)
        #expect(try CLI.files(in: site.appendingPathComponent("Output")) == output, "check never writes")
        #expect(try String(contentsOf: site.appendingPathComponent("Output.manifest.json"), encoding: .utf8) == manifest)
    }

    @Test func externalLinksAreListedAndCheckedOnlyWhenAskedOnline() throws {
        // Another site, served locally, stands in for the outside world (CI has no network).
        let other = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: other) }
        let server = try ServeProcess(root: other)
        defer { server.interrupt() }
        let base = "http://127.0.0.1:\(server.port)/"

        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        try "---\ntitle: About\n---\nSee [them](\(base)about/) and [gone](\(base)gone/).\n"
            .write(to: site.appendingPathComponent("Content/about.md"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["build", "--root", site.path]).status == 0, "external links are not checked by a build")

        let listed = try CLI.run(["check", "--root", site.path, "--external"])
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("2 external links:\n  \(base)about/  (about/index.html)\n  \(base)gone/  (about/index.html)\n"))

        let online = try CLI.run(["check", "--root", site.path, "--online"])
        #expect(online.status == 1)
        #expect(online.stderr.contains("error: external link '\(base)gone/' answered HTTP 404"))
        #expect(!online.stderr.contains("'\(base)about/'"))
    }

    @Test func aBaseURLAddsCanonicalAndOpenGraphURLsAndAnchorsThe404() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-base-\(UUID().uuidString)")
        defer { CLI.removeOutput(output.path) }
        let result = try CLI.run(["build", "--root", GlobalVisionSiteTests.repository.path, "--output", output.path,
                                  "--base-url", "https://example.org/global"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("no base_url"))
        let partners = try String(contentsOf: output.appendingPathComponent("partners/index.html"), encoding: .utf8)
        #expect(partners.contains(#"<link rel="canonical" href="https://example.org/global/partners/">"#))
        #expect(partners.contains(#"<meta property="og:url" content="https://example.org/global/partners/">"#))
        let notFound = try String(contentsOf: output.appendingPathComponent("404.html"), encoding: .utf8)
        #expect(notFound.contains(#"<meta charset="utf-8"><base href="/global/">"#))
        #expect(!notFound.contains("canonical"), "a 404 page has no canonical address")
        let sitemap = try String(contentsOf: output.appendingPathComponent("sitemap.xml"), encoding: .utf8)
        #expect(sitemap.contains("<loc>https://example.org/global/partners/</loc>"))
    }

    @Test func withoutABaseURLAbsoluteURLsAreLeftOutAndTheBuildSaysSoOnce() throws {
        let (result, output) = try GlobalVisionSiteTests.build()
        defer { CLI.removeOutput(output.path) }
        #expect(result.status == 0)
        #expect(result.stdout.components(separatedBy: "note: no base_url: sitemap.xml, canonical links and og:url are left out (set base_url in site.yaml or pass --base-url)").count == 2)
        let partners = try String(contentsOf: output.appendingPathComponent("partners/index.html"), encoding: .utf8)
        #expect(!partners.contains("canonical"))
        #expect(!partners.contains("og:url"))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("sitemap.xml").path))
        let notFound = try String(contentsOf: output.appendingPathComponent("404.html"), encoding: .utf8)
        #expect(notFound.contains("/* orbis: anchor this page's links at the site root, at any depth */"))
    }
}
