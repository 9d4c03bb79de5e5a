import CText
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
        // Pasted from a word processor: curly quotes, dashes, an ellipsis, no-break spaces; a superscript
        // digit (U+2074) is a digit, not punctuation.
        let pasted = "SJTUSM\u{2019}s \u{201C}joint\u{201D} programme\u{2014}since 2014\u{2026}\u{00A0}Lyon\u{2013}Paris x\u{2074} na\u{00EF}ve"
        #expect(Tokenizer.terms(pasted) == Tokenizer.slowTerms(pasted))
        #expect(Tokenizer.terms(pasted).contains("x4"))
        var counts = TermCounts(capacity: 4)
        Tokenizer.count(pasted + " lyon", weight: 2, into: &counts)
        let counted = Dictionary(uniqueKeysWithValues: (0..<counts.count).map { (counts.term($0), counts.weight($0)) })
        #expect(counted["lyon"] == 4 && counted["sjtusm"] == 2 && counted.count == Set(Tokenizer.terms(pasted + " lyon")).count)
    }

    /// Eight bytes classified at once agree with the byte-by-byte rule, for every byte value in every place
    /// (and words of every length up to past the limit, at every offset from the text's end, tokenize alike).
    @Test func eightBytesAtOnceAgreeWithOneAtATime() {
        func alphanumeric(_ byte: UInt8) -> Bool { Tokenizer.asciiClasses[Int(byte)] > 1 }
        for place in 0..<8 {
            for value in 0...255 {
                var bytes = [UInt8](repeating: UInt8(ascii: "k"), count: 8)
                bytes[place] = UInt8(value)
                let chunk = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                let expected = alphanumeric(UInt8(value)) ? 8 : place
                #expect(Tokenizer.alphanumericPrefix(chunk) == expected, "byte \(value) at \(place)")
            }
        }
        for length in [1, 7, 8, 9, 15, 16, 17, Tokenizer.maximumWordLength, Tokenizer.maximumWordLength + 1] {
            for tail in 0..<10 {
                let word = String((0..<length).map { "AbCdEfGhIj0123"[String.Index(utf16Offset: $0 % 14, in: "AbCdEfGhIj0123")] })
                let text = "x " + word + String(repeating: " ", count: tail) + (tail % 3 == 0 ? "é" : "")
                #expect(Tokenizer.terms(text) == Tokenizer.slowTerms(text), "\(length), \(tail)")
            }
        }
    }

    /// A word longer than `maximumWordLength` (a pasted hash or base64) is no term, on the fast path and the
    /// full rules alike; one at the limit is.
    @Test func giantWordsAreNotIndexed() {
        let limit = Tokenizer.maximumWordLength
        #expect(Tokenizer.terms("a " + String(repeating: "x", count: limit + 1) + " b") == ["a", "b"])
        #expect(Tokenizer.terms(String(repeating: "x", count: limit)) == [String(repeating: "x", count: limit)])
        let accented = String(repeating: "é", count: limit + 1)
        #expect(Tokenizer.terms("lyon " + accented) == ["lyon"] && Tokenizer.slowTerms(accented).isEmpty)
        #expect(SearchRuntime.script.contains("var MAXWORD = \(limit);"))
    }

    /// The term table finds a term by its bytes however it was added, the empty one included.
    @Test func theTermTableFindsEveryTermAgain() {
        var counts = TermCounts(capacity: 2)
        let words = ["", ""] + (0..<3000).map { "w\($0)" } + ["", "w7"]
        for word in words {
            var word = word
            word.withUTF8 { counts.add($0, weight: 1) }
        }
        let counted = Dictionary(uniqueKeysWithValues: (0..<counts.count).map { (counts.term($0), counts.weight($0)) })
        #expect(counts.count == 3001 && counted[""] == 3 && counted["w7"] == 2 && counted["w2999"] == 1)
    }

    /// Words counted from text (whose first 8 bytes the tokenizer takes in one masked load, stemmed or not)
    /// are the entries the same words find when added on their own, at every length.
    @Test func countedWordsAreFoundByTheirBytes() {
        var counts = TermCounts(capacity: 4)
        var words: [String] = []
        for length in 1...20 {
            words.append(String(repeating: "k", count: length))
            words.append(String(repeating: "n", count: max(1, length - 1)) + "ses")   // stemmed: "-es" dropped
            words.append("Q" + String(repeating: "x", count: length) + "ing")
        }
        let text = words.joined(separator: " ")
        Tokenizer.count(text, weight: 1, into: &counts)
        let entries = counts.count
        let occurrences = Dictionary(Tokenizer.terms(text).map { ($0, 1) }, uniquingKeysWith: +)
        for term in occurrences.keys {
            var term = term
            term.withUTF8 { counts.add($0, weight: 2) }
        }
        #expect(counts.count == entries && entries == occurrences.count)
        let counted = Dictionary(uniqueKeysWithValues: (0..<counts.count).map { (counts.term($0), counts.weight($0)) })
        #expect(occurrences.allSatisfy { term, times in counted[term] == times + 2 }, "\(counted)")
        #expect(counted["kkkkkkkkk"] == 3 && counted["qxxxxxxxx"] == 3)
    }

    /// Terms that share their first 8 bytes (which a slot holds), of every length from 1 to over 255 bytes
    /// (where a slot's length byte saturates), are told apart.
    @Test func theTermTableTellsApartTermsWithTheSamePrefix() {
        var counts = TermCounts(capacity: 4)
        var words: [String] = []
        for length in 1...300 {
            words.append(String(repeating: "i", count: length))
            words.append("internat" + String(repeating: "x", count: length))
            words.append("internat" + String(repeating: "x", count: max(0, length - 1)) + "y")
        }
        for (index, word) in (words + words.reversed()).enumerated() {
            var word = word
            word.withUTF8 { counts.add($0, weight: index < words.count ? 1 : 2) }
        }
        let counted = Dictionary((0..<counts.count).map { (counts.term($0), counts.weight($0)) }, uniquingKeysWith: { _, _ in -1 })
        #expect(counts.count == Set(words).count && counted.count == counts.count)
        let occurrences = Dictionary(words.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(occurrences.allSatisfy { word, times in counted[word] == 3 * times })
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
        // Only on `<main>` itself: the words in the page are text like any other.
        let mentioned = SearchDocument.extract(html: "<main id=\"m\"><p>data-search-ignore</p></main>", path: "a/index.html", language: "en")
        #expect(mentioned?.text == "data-search-ignore")
    }

    /// White space of any kind and length, between words, tags and references, is one space; none at the ends.
    @Test func whiteSpaceRunsAreOneSpace() throws {
        let html = "<main>\n  <p> a  b \n c\t\td <em>e</em> &amp; f </p>\r\n<p>g\u{00A0} h</p> </main>"
        let document = try #require(SearchDocument.extract(html: html, path: "a/index.html", language: "en"))
        #expect(document.text == "a b c d e & f g\u{00A0} h")
        #expect(document.utf8 == Array(document.text.utf8))
    }

    /// The text scan that goes sixteen bytes at a time ends a run where the byte-by-byte rule does: each
    /// byte that ends one ('<', '&', line feed, tab, carriage return, a second space), and each that does
    /// not (other control bytes, UTF-8, one space), at every place of a 40-byte run, from every start.
    @Test func sixteenBytesAtOnceEndRunsWhereOneAtATimeDoes() {
        for value in [0x3C, 0x26, 0x0A, 0x09, 0x0D, 0x20, 0x00, 0x0B, 0x1F, 0x21, 0x3B, 0x3D, 0x80, 0xE2, 0xFF] as [UInt8] {
            for place in 1..<40 {
                for spaceBefore in [false, true] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "w"), count: 40)
                    bytes[place] = value
                    if spaceBefore { bytes[place - 1] = 0x20 }
                    for start in 1...place {
                        let fast = orbis_text_run_length(bytes, start, bytes.count)
                        let slow = orbis_text_run_length_bytes(bytes, start, bytes.count)
                        #expect(fast == slow, "byte \(value) at \(place), space before: \(spaceBefore), from \(start)")
                    }
                }
            }
        }
        // And on a page: a long paragraph (several blocks of sixteen) with a double space, a reference and a tag.
        let words = String(repeating: "partnership ", count: 9)
        let html = "<main><p>\(words)with  Lyon &amp; Rouen <em>since</em> 2014</p></main>"
        let document = SearchDocument.extract(html: html, path: "a/index.html", language: "en")
        #expect(document?.text == words + "with Lyon & Rouen since 2014")
    }

    @Test func tagNamesArePackedAsExtractPacksThem() {
        let written: [(String, UInt64)] = [("script", Tag.script), ("style", Tag.style), ("svg", Tag.svg), ("nav", Tag.nav),
                                           ("noscript", Tag.noscript), ("template", Tag.template), ("h1", Tag.h1), ("h2", Tag.h2),
                                           ("h3", Tag.h3), ("/h1", Tag.endH1), ("/h2", Tag.endH2), ("/h3", Tag.endH3)]
        for (name, packed) in written { #expect(Tag.pack(name) == packed, "\(name)") }
        #expect(Tag.closing(Tag.h2) == Tag.endH2 && Tag.closing(Tag.script) == Tag.pack("/script"))
    }

    @Test func titlesOutrankBodiesAndShardsHoldTheirTerms() throws {
        let documents = [
            SearchDocument(path: "partners/index.html", language: "en", title: "Our partners", headings: [], text: "Lyon is one partner."),
            SearchDocument(path: "partners/lyon/index.html", language: "en", title: "University of Lyon", headings: [], text: "In Lyon."),
            SearchDocument(path: "zh/partners/lyon/index.html", language: "zh", title: "里昂大学", headings: [], text: "里昂"),
        ]
        let files = Dictionary(uniqueKeysWithValues: SearchIndex.files(documents, languages: ["en", "zh"]).map { file in (file.path, file.withBytes { String(decoding: $0, as: UTF8.self) }) })
        let lyShard = try #require(files["search/en/t-\(SearchIndex.hex("ly")).js"])
        // Document 1 (the Lyon page): 10 for its title and 1 for its text (11, "b" in base 36); document 0: 1.
        #expect(lyShard.contains(#""lyon":"0,1*b""#))
        #expect(files["search/en/meta.js"]?.contains("docs:2") == true)
        #expect(files["search/en/d-0.js"]?.contains(#"["University of Lyon","partners/lyon/","Our partners","In Lyon."]"#) == true)
        #expect(files["search/zh/t-\(SearchIndex.hex(Tokenizer.shard(of: "里"))).js"]?.contains(#""里昂":"0*b""#) == true)
        #expect(files["search/orbis-search.js"]?.contains("window.orbisSearch") == true)
    }

    /// A result's section is the nearest enclosing page that exists: a value page under a folder without a
    /// page of its own (`partners/areas/nursing/`) is in the partners' list.
    @Test func aSectionIsTheNearestEnclosingPage() throws {
        let documents = [
            SearchDocument(path: "index.html", language: "en", title: "Home", headings: [], text: "Welcome."),
            SearchDocument(path: "partners/index.html", language: "en", title: "Our partners", headings: [], text: "All."),
            SearchDocument(path: "partners/areas/nursing/index.html", language: "en", title: "Nursing", headings: [], text: "Nurses."),
            SearchDocument(path: "partners/lyon/index.html", language: "en", title: "Lyon", headings: [], text: "Lyon."),
        ]
        let shard = try #require(SearchIndex.files(documents, languages: ["en"]).first { $0.path == "search/en/d-0.js" })
            .withBytes { String(decoding: $0, as: UTF8.self) }
        #expect(shard.contains(#"["Home","","","Welcome."]"#))
        #expect(shard.contains(#"["Nursing","partners/areas/nursing/","Our partners","Nurses."]"#))
        #expect(shard.contains(#"["Lyon","partners/lyon/","Our partners","Lyon."]"#))
    }

    /// A shard larger than `shardBytes` is split by one more character, so that a query loads little more
    /// than the postings it needs; every term is in exactly one shard, the longest key that begins it.
    @Test func largeShardsAreSplitByOneMoreCharacter() throws {
        let words = ["nurse", "nursing", "nutrition", "nuclear", "nu"]
        let documents = (0..<3000).map { n in
            SearchDocument(path: "p\(n)/index.html", language: "en", title: "Page \(n)", headings: [],
                           text: words.filter { _ in true }.joined(separator: " ") + " word\(n % 7)")
        }
        let files = SearchIndex.files(documents, languages: ["en"])
        let meta = try #require(files.first { $0.path == "search/en/meta.js" }).withBytes { String(decoding: $0, as: UTF8.self) }
        #expect(meta.contains(#""nur""#) && meta.contains(#""nut""#) && meta.contains(#""nuc""#) && meta.contains(#""nu""#))
        let shards = files.filter { $0.path.hasPrefix("search/en/t-") }.map { $0.withBytes { String(decoding: $0, as: UTF8.self) } }
        for term in ["nurs", "nutrition", "nuclear", "nu", "word0"] {
            #expect(shards.filter { $0.contains("\n\"\(term)\":") || $0.contains("{\n\"\(term)\":") }.count == 1, "\(term) is in one shard")
        }
        // Every document, one apart: "0,1,1,…" with title weight none (the title has no such word).
        let nutrition = try #require(shards.first { $0.contains(#""nutrition":"#) })
        #expect(nutrition.contains(#""nutrition":"0,"# + Array(repeating: "1", count: 2999).joined(separator: ",") + "\""))
    }

    /// Han terms share a shard by their first character's code point modulo 64; a shard grown too large is
    /// split by the whole first character (`~k/code point`), and the runtime's key for a term is the same.
    @Test func largeHanShardsAreSplitByTheirFirstCharacter() throws {
        // Characters whose code points are all 7 modulo 64, each the start of many pairs.
        let firsts = (0..<40).map { Character(Unicode.Scalar(0x4E00 + 7 + 64 * $0)!) }
        let documents = (0..<1500).map { n in
            let text = firsts.enumerated().map { String($1) + String(Character(Unicode.Scalar(0x5000 + (n + $0) % 300)!)) }.joined(separator: "，")
            return SearchDocument(path: "zh/p\(n)/index.html", language: "zh", title: "页 \(n)", headings: [], text: text)
        }
        let files = SearchIndex.files(documents, languages: ["zh"])
        let meta = try #require(files.first { $0.path == "search/zh/meta.js" }).withBytes { String(decoding: $0, as: UTF8.self) }
        let first = firsts[3].unicodeScalars.first!.value
        #expect(meta.contains("\"~7/\(first)\""), "the shard of \(firsts[3]) is its own")
        let shard = try #require(files.first { $0.path == "search/zh/t-\(SearchIndex.hex("~7/\(first)")).js" })
            .withBytes { String(decoding: $0, as: UTF8.self) }
        // The character alone is on every page: 1500 postings, one apart.
        #expect(shard.contains("\"\(firsts[3])\":\"0," + Array(repeating: "1", count: 1499).joined(separator: ",") + "\""))
        #expect(SearchIndex.longerKey(of: String(firsts[3]) + "x", than: "~7") == "~7/\(first)")
    }

    /// Documents are counted in runs on several threads and the runs' postings joined: however the
    /// documents are cut into runs, the index is the same, and postings name the right documents.
    @Test func runsOfDocumentsJoinToOneIndex() throws {
        var generator = SeededWords(seed: 7)
        let documents = (0..<2000).map { n in
            SearchDocument(path: "p\(n)/index.html", language: "en", title: "Page \(generator.words(3))",
                           headings: [generator.words(4)], text: generator.words(60) + (n % 97 == 0 ? " rarissime" : ""))
        }
        func contents(threads: Int) -> [String: String] {
            Dictionary(uniqueKeysWithValues: SearchIndex.files(documents, languages: ["en"], threads: threads).map { file in
                (file.path, file.withBytes { String(decoding: $0, as: UTF8.self) })
            })
        }
        let one = contents(threads: 1), many = contents(threads: 8)
        #expect(one.count == many.count)
        for (path, text) in one { #expect(many[path] == text, "\(path)") }
        // "rarissime" is on every 97th document (numbered in path order: p0, p1, p10, p100, …).
        let numbers = documents.map(\.path).sorted().enumerated().filter { Int($1.dropFirst().prefix { $0.isNumber })! % 97 == 0 }.map(\.offset)
        let deltas = zip(numbers, [0] + numbers).map { $0 - $1 }.map { String($0, radix: 36) }.joined(separator: ",")
        let shard = try #require(one.first { $0.key.hasPrefix("search/en/t-") && $0.value.contains("\"rarissim\":") }?.value)
        #expect(shard.contains("\"rarissim\":\"\(deltas)\""))
    }

    /// `orbis serve` keeps the last index's runs: after each of 40 random edits (a text, a title, a page
    /// added or removed), the index made with the memo — reusing the runs whose documents are unchanged —
    /// is the one made from nothing, and most runs are reused.
    @Test func runsReusedFromTheLastIndexGiveTheSameIndex() throws {
        var generator = SeededWords(seed: 11)
        var documents = (0..<600).map { n in
            SearchDocument(path: "p\(1000 + n)/index.html", language: "en", title: generator.words(3), headings: [generator.words(2)], text: generator.words(40))
        }
        func contents(_ files: [OutputFile]) -> [String: String] {
            Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.withBytes { String(decoding: $0, as: UTF8.self) }) })
        }
        let memo = SearchIndexMemo()
        _ = SearchIndex.files(documents, languages: ["en"], threads: 2, memo: memo)
        var reused = 0
        for edit in 0..<40 {
            var changed: Set<String> = []
            let target = Int(generator.next() % UInt64(documents.count))
            switch edit % 5 {
            case 0: documents[target].title = generator.words(2)
            case 4 where edit % 10 == 4:
                documents.append(SearchDocument(path: "p\(2000 + edit)/index.html", language: "en", title: "new", headings: [], text: generator.words(10)))
            case 4: documents.remove(at: target)
            default: documents[target].text = generator.words(30)
            }
            if target < documents.count { changed.insert(documents[target].path) }
            let unchanged = Set(documents.map(\.path)).subtracting(changed)
            let incremental = contents(SearchIndex.files(documents, languages: ["en"], threads: 2, memo: memo, unchanged: unchanged))
            reused += memo.reusedRuns
            let fresh = contents(SearchIndex.files(documents, languages: ["en"], threads: 2))
            let differing = Set(fresh.keys).union(incremental.keys).filter { incremental[$0] != fresh[$0] }.sorted()
            #expect(differing.isEmpty, "edit \(edit)")
        }
        // 8 runs per index; text and title edits (32 of the 40) reuse 7.
        #expect(reused >= 32 * 7)
    }

    /// Text as `extract` takes it: references decoded (the five escapes and others), an `&` that starts none
    /// kept, tags separate words, a heading is its text.
    @Test func extractDecodesReferencesAndSeparatesTags() throws {
        let html = #"<main><h1>Caf&#233; &amp; co</h1><h2>Nurs<em>ing</em> today</h2><p>&quot;A&quot; &lt;b&gt; it&#39;s &bogus; R&D &#x4E2D; a&nbsp;b</p></main>"#
        let document = try #require(SearchDocument.extract(html: html, path: "a/index.html", language: "en"))
        #expect(document.title == "Café & co")
        #expect(document.headings == ["Nurs ing today"])
        #expect(document.text == "Café & co Nurs ing today \"A\" <b> it's &bogus; R&D 中 a\u{00A0}b")
    }

    /// Raw HTML pasted from a word processor writes characters as named references: each reads as the
    /// character a browser shows, in the title, the text and so the terms.
    @Test func namedReferencesAreTheCharactersABrowserShows() throws {
        let html = "<main><h1>Universit&eacute; de Lyon</h1><p>SJTUSM&rsquo;s partner &mdash; &laquo;nursing&raquo; &CounterClockwiseContourIntegral; &nGt; &notanentity;</p></main>"
        let document = try #require(SearchDocument.extract(html: html, path: "a/index.html", language: "en"))
        #expect(document.title == "Université de Lyon")
        #expect(document.text == "Université de Lyon SJTUSM\u{2019}s partner \u{2014} \u{AB}nursing\u{BB} \u{2233} \u{226B}\u{20D2} &notanentity;")
        #expect(Tokenizer.terms(document.text).contains("universit") && Tokenizer.terms(document.text).contains("nurs"))
        #expect(HTML.decodeReferences("a&amp;b &Eacute;cole &#233; &copy") == "a&b École é &copy")
    }

    /// An excerpt ends at a character: a letter and its combining accent are not cut apart.
    @Test func excerptsEndAtACharacter() {
        let text = String(repeating: "a", count: SearchIndex.excerptLength - 1) + "e\u{301}" + "tail"
        let excerpt = SearchIndex.excerpt(text)
        #expect(excerpt == String(repeating: "a", count: SearchIndex.excerptLength - 1))
        #expect(SearchIndex.excerpt("short") == "short")
        let plain = String(repeating: "b", count: 5000)
        #expect(SearchIndex.excerpt(plain).count == SearchIndex.excerptLength)
    }

    /// JSON strings written byte by byte: every escape, and text that needs none.
    @Test func jsonStringsEscapeWhatWouldBreakAScript() {
        #expect(JSONText.string("plain text") == #""plain text""#)
        #expect(JSONText.string("a\"b\\c\nd\re\tf<g>h&i\u{2028}j\u{2029}k\u{01}l’m") ==
                #""a\"b\\c\nd\re\tf\u003cg\u003eh\u0026i\u2028j\u2029k\u0001l’m""#)
        var bytes: [UInt8] = []
        JSONText.append("</script>"[...], to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""\u003c/script\u003e""#)
        // Each character that needs an escape, at every place of a text read eight bytes at a time, and a
        // curly quote (its first byte is U+2028's) that needs none.
        let escaped: [(String, String)] = [("\"", "\\\""), ("\\", "\\\\"), ("\n", "\\n"), ("<", "\\u003c"), (">", "\\u003e"),
                                           ("&", "\\u0026"), ("\u{2028}", "\\u2028"), ("\u{1F}", "\\u001f"), ("\u{2019}", "\u{2019}")]
        for (character, escape) in escaped {
            for place in 0..<17 {
                let before = String(repeating: "a", count: place), after = String(repeating: "b", count: 20 - place)
                #expect(JSONText.string(before + character + after) == "\"" + before + escape + after + "\"", "\(escape) at \(place)")
            }
        }
    }
}

/// Words drawn from a small vocabulary by a fixed linear congruential sequence (the same every run).
struct SeededWords {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    static let vocabulary = ["nursing", "partner", "university", "exchange", "students", "research", "clinical", "lyon",
                             "strasbourg", "programme", "medicine", "the", "of", "and", "joint", "degree", "faculty", "ottawa"]
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 33
    }
    mutating func words(_ count: Int) -> String {
        (0..<count).map { _ in Self.vocabulary[Int(next()) % Self.vocabulary.count] }.joined(separator: " ")
    }
}
