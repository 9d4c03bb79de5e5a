import Foundation
import SiteModel
import Testing
@testable import SiteSearch

@Suite struct TokenizerTests {
    @Test(arguments: [
        ("Université de Lyon", ["universit", "de", "lyon"]),
        ("universite", ["universit"]),
        ("Nursing nurses NURSE", ["nurs", "nurs", "nurs"]),
        ("partners, universities; programmes", ["partner", "university", "programm"]),
        ("founded in 2014", ["found", "in", "2014"]),
        ("Ｎｕｒｓｉｎｇ", ["nurs"]),                       // full-width letters fold to ASCII
        ("SJTUSM’s", ["sjtusm", "s"]),
    ])
    func englishIsFoldedAndStemmed(text: String, terms: [String]) {
        #expect(Tokenizer.terms(text) == terms)
    }

    /// The ASCII fast path cuts text exactly as the full rules do.
    @Test func theFastPathAgreesWithTheFullRules() {
        let text = "Université de Lyon — SJTUSM与渥太华，Ottawa's 8-year programme (Nursing, 2014); Ｌｙｏｎ naïve CAFÉ x1 a"
        #expect(Tokenizer.terms(text) == Tokenizer.slowTerms(text))
        #expect(Tokenizer.terms("Partners of the Faculty") == Tokenizer.slowTerms("Partners of the Faculty"))
    }

    @Test func chineseGivesCharactersAndPairs() {
        #expect(Tokenizer.terms("护理") == ["护", "理", "护理"])
        #expect(Tokenizer.terms("渥太华") == ["渥", "太", "华", "渥太", "太华"])
        #expect(Tokenizer.terms("斯特拉斯堡大学").contains("斯堡"))
        // Mixed: words and Han runs side by side; full-width punctuation separates.
        #expect(Tokenizer.terms("SJTUSM与渥太华，Ottawa") == ["sjtusm", "与", "渥", "太", "华", "与渥", "渥太", "太华", "ottawa"])
        #expect(Tokenizer.shard(of: "渥太") == "~\(("渥" as Unicode.Scalar).value % 64)" && Tokenizer.shard(of: "partner") == "pa" && Tokenizer.shard(of: "a") == "a")
    }
}

@Suite struct SearchIndexTests {
    static let page = """
        <html><head><title>University of Lyon · Global Vision</title></head><body><nav>Overview Partners</nav>
        <main id="content"><h1>University of Lyon</h1><svg><text>Paris</text></svg><script>var x = "nursing";</script>
        <h2>Programmes with SJTUSM</h2><p>Master&#39;s Degree Programme in Life Sciences &amp; more</p></main></body></html>
        """

    @Test func aPageIsItsMainWithoutNavigationScriptsOrMaps() throws {
        let document = try #require(SearchDocument.extract(html: Self.page, path: "partners/lyon/index.html", language: "en"))
        #expect(document.title == "University of Lyon")
        #expect(document.headings == ["Programmes with SJTUSM"])
        #expect(document.text == "University of Lyon Programmes with SJTUSM Master's Degree Programme in Life Sciences & more")
        #expect(SearchDocument.extract(html: "<main data-search-ignore>x</main>", path: "a/index.html", language: "en") == nil)
    }

    @Test func titlesOutrankBodiesAndShardsHoldTheirTerms() throws {
        let documents = [
            SearchDocument(path: "partners/index.html", language: "en", title: "Our partners", headings: [], text: "Lyon is one partner."),
            SearchDocument(path: "partners/lyon/index.html", language: "en", title: "University of Lyon", headings: [], text: "In Lyon."),
            SearchDocument(path: "zh/partners/lyon/index.html", language: "zh", title: "里昂大学", headings: [], text: "里昂"),
        ]
        let files = Dictionary(uniqueKeysWithValues: SearchIndex.files(documents, languages: ["en", "zh"]).map { file in (file.path, file.withBytes { String(decoding: $0, as: UTF8.self) }) })
        let lyShard = try #require(files["search/en/t-\(SearchIndex.hex("ly")).js"])
        // Document 1 (the Lyon page): 10 for its title and 1 for its text; document 0: 1.
        #expect(lyShard.contains(#""lyon":[[0,1],[1,11]]"#))
        #expect(files["search/en/meta.js"]?.contains("docs:2") == true)
        #expect(files["search/en/d-0.js"]?.contains(#"["University of Lyon","partners/lyon/","Our partners","In Lyon."]"#) == true)
        #expect(files["search/zh/t-\(SearchIndex.hex(Tokenizer.shard(of: "里"))).js"]?.contains(#""里昂":[[0,11]]"#) == true)
        #expect(files["search/orbis-search.js"]?.contains("window.orbisSearch") == true)
    }
}
