import Foundation
import Testing

/// The site in this repository, built through the CLI exactly as `make site` does (into a temporary folder).
@Suite struct GlobalVisionSiteTests {
    static let repository = CLI.testsFolder.deletingLastPathComponent().deletingLastPathComponent()

    /// Removes a temporary output and the manifest beside it.
    static func remove(_ output: URL) {
        try? FileManager.default.removeItem(at: output)
        try? FileManager.default.removeItem(atPath: output.path + ".manifest.json")
    }

    static func build() throws -> (CLI.Result, URL) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-gv-\(UUID().uuidString)")
        return (try CLI.run(["build", "--root", repository.path, "--output", output.path]), output)
    }

    @Test func buildsWithEveryPageAndPartner() throws {
        let (result, output) = try Self.build()
        defer { Self.remove(output) }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Loaded 14 pages, 12 partners, 6 programmes, 0 data files,"))
        let files = try CLI.files(in: output)
        for path in ["index.html", "partners/index.html", "partners.json", "404.html", "robots.txt",
                     "programs/sino-french/index.html", "programs/ottawa-shanghai/index.html", "programs/study-tours/index.html",
                     "partners/areas/nursing/index.html", "zh/index.html", "zh/partners/index.html",
                     "zh/programs/sino-french/index.html", "zh/partners/areas/nursing/index.html", "zh/partners/rouen/index.html",
                     "programmes.json", "programs/index.html", "programs/clinical-medicine-french/index.html",
                     "programs/nurse-exchange/index.html", "programs/life-sciences-master/index.html", "zh/programs/life-sciences-master/index.html"] {
            #expect(files[path] != nil, "missing \(path)")
        }
        let partnerPages = files.keys.filter { $0.hasPrefix("partners/") && $0.hasSuffix("/index.html") && !$0.contains("areas/") }
        #expect(partnerPages.count == 13) // 12 partners + the list
        let home = String(decoding: files["index.html"] ?? Data(), as: UTF8.self)
        #expect(home.contains(#"<a href="partners/index.html">See our partners</a>"#))
        let france = String(decoding: files["programs/sino-french/index.html"] ?? Data(), as: UTF8.self)
        #expect(france.contains("University of Rouen"))
        #expect(!france.contains("University of Ottawa"))
        let chineseHome = String(decoding: files["zh/index.html"] ?? Data(), as: UTF8.self)
        #expect(chineseHome.contains(#"<html lang="zh-Hans">"#))
        #expect(chineseHome.contains(#"<a href="partners/index.html">查看我们的合作伙伴</a>"#))
        let chineseFrance = String(decoding: files["zh/programs/sino-french/index.html"] ?? Data(), as: UTF8.self)
        #expect(chineseFrance.contains("鲁昂大学"))
        #expect(chineseFrance.contains(#"<h2 id="始于二十世纪八十年代的伙伴关系">"#))
        #expect(files.keys.filter { $0.hasPrefix("zh/") && $0.hasSuffix(".html") }.count == 24)
        // Programmes name their partners; partner pages list their programmes through that reference.
        let master = String(decoding: files["programs/life-sciences-master/index.html"] ?? Data(), as: UTF8.self)
        #expect(master.contains(#"<a href="../../partners/lyon/index.html">University of Lyon</a>"#))
        #expect(master.contains(#"<a href="../../partners/lille/index.html">University of Lille</a>"#))
        let lille = String(decoding: files["partners/lille/index.html"] ?? Data(), as: UTF8.self)
        #expect(lille.contains(#"<a href="../../programs/life-sciences-master/index.html">Master&#39;s Degree Programme in Life Sciences</a>"#))
        let bureau = String(decoding: files["zh/partners/strasbourg-health-bureau/index.html"] ?? Data(), as: UTF8.self)
        #expect(bureau.contains(#"<a href="../../programs/nurse-exchange/index.html">护士交流项目</a>"#))
        #expect(!bureau.contains("生命科学硕士项目"))
    }

    /// hreflang must be symmetric: if A names B as its translation, B names A, both list the same set, and
    /// each `hreflang` is the `lang` of the page it points to.
    @Test func hreflangPairsAreSymmetricAcrossTheWholeSite() throws {
        let (result, output) = try Self.build()
        defer { Self.remove(output) }
        #expect(result.status == 0)
        let files = try CLI.files(in: output).filter { $0.key.hasSuffix(".html") }
        func alternates(of path: String) -> [String: String] {
            let html = String(decoding: files[path] ?? Data(), as: UTF8.self)
            var result: [String: String] = [:]
            for match in html.matches(of: #/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">/#) {
                let base = URL(fileURLWithPath: "/" + path)
                result[String(match.1)] = String(URL(string: String(match.2), relativeTo: base)!.path.dropFirst())
            }
            return result
        }
        func lang(of path: String) -> String? {
            let html = String(decoding: files[path] ?? Data(), as: UTF8.self)
            return html.firstMatch(of: #/<html lang="([^"]+)">/#).map { String($0.1) }
        }
        var pairs = 0
        for path in files.keys.sorted() {
            let links = alternates(of: path)
            guard !links.isEmpty else { continue }
            #expect(links[lang(of: path) ?? ""] == path, "\(path) does not list itself under its own language")
            #expect(links["x-default"] == links["en"], "\(path): x-default is not the English page")
            for (hreflang, target) in links where hreflang != "x-default" {
                #expect(files[target] != nil, "\(path) → \(target) does not exist")
                #expect(lang(of: target) == hreflang, "\(path) → \(target) is not in \(hreflang)")
                #expect(alternates(of: target) == links, "\(target) does not list the same translations as \(path)")
                pairs += 1
            }
        }
        #expect(pairs >= 80, "only \(pairs) hreflang links checked")
    }

    @Test(arguments: ["partners/index.html", "partners/ottawa-medicine/index.html", "partners/strasbourg/index.html",
                      "zh/programs/sino-french/index.html", "zh/partners/ottawa-medicine/index.html", "partners/areas/nursing/index.html",
                      "programs/index.html", "programs/life-sciences-master/index.html", "zh/programs/study-tours/index.html",
                      "partners.json", "programmes.json"])
    func matchesTheGoldenSnapshot(_ path: String) throws {
        let (result, output) = try Self.build()
        defer { Self.remove(output) }
        #expect(result.status == 0)
        let actual = try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
        let golden = CLI.testsFolder.appendingPathComponent("Golden/global-vision/" + path)
        if ProcessInfo.processInfo.environment["ORBIS_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(actual == (try String(contentsOf: golden, encoding: .utf8)),
                "\(path) differs from Golden/global-vision/\(path); re-record with ORBIS_RECORD_GOLDEN=1 make test and review the diff")
    }
}
