import Foundation
import Testing

/// The site in this repository, built through the CLI exactly as `make site` does (into a temporary folder).
@Suite struct GlobalVisionSiteTests {
    static let repository = CLI.testsFolder.deletingLastPathComponent().deletingLastPathComponent()

    static func remove(_ output: URL) { CLI.removeOutput(output.path) }

    static func build() throws -> (CLI.Result, URL) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-gv-\(UUID().uuidString)")
        return (try CLI.run(["build", "--root", repository.path, "--output", output.path]), output)
    }

    @Test func buildsWithEveryPageAndPartner() throws {
        let (result, output) = try Self.build()
        defer { Self.remove(output) }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Loaded 16 pages, 12 partners, 6 programmes, 4 figures, 0 data files,"))
        let files = try CLI.files(in: output)
        for path in ["index.html", "partners/index.html", "partners.json", "404.html", "zh/404.html", "robots.txt",
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
        #expect(files.keys.filter { $0.hasPrefix("zh/") && $0.hasSuffix(".html") }.count == 26)
        // Programmes name their partners; partner pages list their programmes through that reference.
        let master = String(decoding: files["programs/life-sciences-master/index.html"] ?? Data(), as: UTF8.self)
        #expect(master.contains(#"<a href="../../partners/lyon/index.html">University of Lyon</a>"#))
        #expect(master.contains(#"<a href="../../partners/lille/index.html">University of Lille</a>"#))
        let lille = String(decoding: files["partners/lille/index.html"] ?? Data(), as: UTF8.self)
        #expect(lille.contains(#"<a href="../../programs/life-sciences-master/index.html">Master’s Degree Programme in Life Sciences</a>"#))
        let bureau = String(decoding: files["zh/partners/strasbourg-health-bureau/index.html"] ?? Data(), as: UTF8.self)
        #expect(bureau.contains(#"<a href="../../programs/nurse-exchange/index.html">护士交流项目</a>"#))
        #expect(!bureau.contains("生命科学硕士项目"))
    }

    /// The original page lists partners "including" ten French universities and programmes "such as" three:
    /// no page may present a number as the whole (only "named here" counts), in English or Chinese.
    @Test func noPageClaimsACountOfAllPartnersOrProgrammes() throws {
        let english = try NSRegularExpression(pattern: #"\b(\d+|two|three|ten|eleven|twelve)\s+(French\s+|flagship\s+|featured\s+)?(partners?|universities|institutions|programmes|programs)\b(?!\s+named here)"#, options: [.caseInsensitive])
        let chinese = try NSRegularExpression(pattern: #"(?<!本页列出)(?<!本页所列)(?<![\d十])(\d+|十|十一|十二|三)\s*(个|所)\s*(法国)?(合作伙伴|大学|高校|特色项目)"#)
        func claims(_ text: String) -> [String] {
            let range = NSRange(text.startIndex..., in: text)
            return (english.matches(in: text, range: range) + chinese.matches(in: text, range: range)).map { (text as NSString).substring(with: $0.range) }
        }
        // The check itself catches what the site used to say.
        #expect(claims("SJTUSM works with ten universities in France") == ["ten universities"])
        #expect(claims("12 partners in 2 countries; the three programmes the school is known for") == ["12 partners", "three programmes"])
        #expect(claims("共 12 个合作伙伴，与十所法国大学，形成了三个特色项目") == ["12 个合作伙伴", "十所法国大学", "三个特色项目"])
        #expect(claims("12 partners named here, in 2 countries; 本页列出12个合作伙伴").isEmpty)
        let (result, output) = try Self.build()
        defer { Self.remove(output) }
        #expect(result.status == 0, "\(result.stderr)")
        let tag = try NSRegularExpression(pattern: "<[^>]+>")
        var pages = 0
        for (path, data) in try CLI.files(in: output) where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            let text = tag.stringByReplacingMatches(in: html, range: NSRange(html.startIndex..., in: html), withTemplate: " ")
            #expect(claims(text).isEmpty, "\(path) claims a count of all: \(claims(text))")
            pages += 1
        }
        #expect(pages == 52)
    }

    /// Chinese text uses full-width punctuation: no ": ", "(…)", "," or ";" next to a Chinese character in
    /// any Chinese page's text (tags, scripts and styles aside).
    @Test func chinesePagesUseFullWidthPunctuation() throws {
        let halfWidth = try NSRegularExpression(pattern: #"\p{Han}[^\u0000\n]{0,2}?(: |\(|\)|, |;)|(: |\(|\)|, |;)[^\u0000\n]{0,2}?\p{Han}"#)
        for sample in ["硕士 (master)", "类型: 大学"] {
            #expect(halfWidth.firstMatch(in: sample, range: NSRange(sample.startIndex..., in: sample)) != nil, "\(sample)")
        }
        let (result, output) = try Self.build()
        defer { Self.remove(output) }
        #expect(result.status == 0, "\(result.stderr)")
        let markup = try NSRegularExpression(pattern: "<script.*?</script>|<style.*?</style>|<[^>]+>", options: [.dotMatchesLineSeparators])
        var pages = 0
        for (path, data) in try CLI.files(in: output) where path.hasPrefix("zh/") && path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            let text = markup.stringByReplacingMatches(in: html, range: NSRange(html.startIndex..., in: html), withTemplate: "\u{0}")
            let found = halfWidth.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { (text as NSString).substring(with: $0.range) }
            #expect(found.isEmpty, "\(path): \(found)")
            pages += 1
        }
        #expect(pages == 26)
    }

    /// The partner map: drawn at build time, both views, linked, within its size budget, in both languages.
    @Test func thePartnersPageHasAMapOfTheWorldAndOfFrance() throws {
        let (result, output) = try Self.build()
        defer { Self.remove(output) }
        #expect(result.status == 0, "\(result.stderr)")
        let files = try CLI.files(in: output)
        for (path, france, joined, strasbourg) in [("partners/index.html", "France", "11 named here", "Strasbourg"),
                                                   ("zh/partners/index.html", "法国", "本页所列11个", "斯特拉斯堡")] {
            let html = String(decoding: files[path] ?? Data(), as: UTF8.self)
            guard let start = html.range(of: #"<figure class="map" id="map-world">"#),
                  let end = html.range(of: "</figure>", options: .backwards) else {
                Issue.record("\(path) has no map")
                continue
            }
            let map = String(html[start.lowerBound..<end.upperBound])
            #expect(map.utf8.count <= 60_000, "\(path): the map is \(map.utf8.count) bytes")
            #expect(map.contains(#"<figure class="map" id="map-france">"#))
            #expect(map.contains(">\(france)</text>") && map.contains(##"<a href="#map-france">"##) && map.contains(">\(joined)</text>"))
            #expect(map.contains(">\(strasbourg)</text>"))
            #expect(map.contains(#"<a href="strasbourg/index.html">"#) && map.contains(#"<a href="ottawa-medicine/index.html">"#))
            #expect(!map.contains("http"))
        }
        let chinese404 = String(decoding: files["zh/404.html"] ?? Data(), as: UTF8.self)
        #expect(chinese404.contains(#"<html lang="zh-Hans">"#) && chinese404.contains("<h1>页面不存在</h1>"))
    }

    /// Names changed after the original page was written: the partnership's name stays, with today's.
    @Test func mergedUniversitiesShowTheirNameThenAndNow() throws {
        let (result, output) = try Self.build()
        defer { Self.remove(output) }
        #expect(result.status == 0, "\(result.stderr)")
        let files = try CLI.files(in: output)
        let descartes = String(decoding: files["partners/paris-descartes/index.html"] ?? Data(), as: UTF8.self)
        #expect(descartes.contains("<h1>Paris Descartes University</h1>"))
        #expect(descartes.contains("<dd>Université Paris Cité</dd>"))
        #expect(descartes.contains("on 1 January 2020 to form Université de Paris, which took the name Université Paris Cité in 2022."))
        let six = String(decoding: files["zh/partners/paris-6/index.html"] ?? Data(), as: UTF8.self)
        #expect(six.contains("<dd>索邦大学</dd>") && six.contains("2018年1月1日"))
        let list = String(decoding: files["partners/index.html"] ?? Data(), as: UTF8.self)
        #expect(list.contains("Now part of Sorbonne Université"))
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
