import Foundation
import SiteIO
import Testing
@testable import SiteData
@testable import SiteModel

/// Rules that read values byte by byte for speed (e-mail addresses, dates, blank text) give what their
/// character-by-character forms give: each is compared with that form over handpicked and random texts.
@Suite struct ByteRulesTests {
    @Test func anASCIIAddressIsReadAsTheScalarRulesReadIt() {
        let handpicked = ["office@sjtu.edu.cn", "a@b.c", "a@b", "@b.c", "a@", "a@@b.c", "a@b@c.d", ".a@b.c", "a.@b.c",
                          "a..b@c.d", "a.b@c.d", "a@-b.c", "a@b-.c", "a@b..c", "a@b.c.", "a+tag@x-y.org", "o'neil@x.ie",
                          "a b@c.d", "a@b c.d", "", "@", "a@b_c.d", "{x}|~@y.z", String(repeating: "a", count: 64) + "@x.org",
                          String(repeating: "a", count: 65) + "@x.org", "A@B.C", "a@1.2", "mailto:a@b.c"]
        var random = SplitMix64(seed: 7)
        let alphabet = ["a", "Z", "0", ".", "@", "-", "_", "+", "!", "~", " ", "\"", "(", ",", ":", "é"]
        let texts = handpicked + (0..<20_000).map { _ in random.text(from: alphabet, length: 0...12) }
        var compared = 0
        for text in texts {
            guard let ascii = FieldValueReader.isASCIIEmail(text) else {
                #expect(text.utf8.contains { $0 >= 128 }, "\(text) is ASCII but was not read as such")
                continue
            }
            compared += 1
            #expect(ascii == FieldValueReader.isEmailByScalars(text), "\(text)")
        }
        #expect(compared > 10_000)
        #expect(FieldValueReader.isEmail("office@sjtu.edu.cn"))
        #expect(FieldValueReader.isEmail("lǐ@例子.中国"))
        #expect(!FieldValueReader.isEmail("a..b@x.org"))
    }

    /// The rule as it was written before it read bytes.
    static func dateByCharacters(_ text: String) -> CalendarDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    @Test func aDateIsReadAsCharactersReadIt() {
        let handpicked = ["2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "0001-01-01", "2024-1-01",
                          "2024-01-1", "20240-1-01", "2024/01/01", "٢٠٢٤-٠١-٠١", "２０２４-０１-０１", "2024-01-01 ", " 2024-01-01",
                          "2024-01-1\u{301}", "2024—01-01", "", "----------", "9999-12-31"]
        var random = SplitMix64(seed: 11)
        let alphabet = ["0", "1", "2", "9", "-", "-", "x", " ", "٣", "\u{301}"]
        for text in handpicked + (0..<20_000).map({ _ in random.text(from: alphabet, length: 8...11) }) {
            #expect(CalendarDate(dateOnly: text) == Self.dateByCharacters(text), "\(text.debugDescription)")
        }
        #expect(CalendarDate(dateOnly: "2024-02-29") != nil)
    }

    @Test func blankTextIsWhatTrimmingLeavesEmpty() {
        var random = SplitMix64(seed: 13)
        let alphabet = [" ", "\t", "a", "\u{00A0}", "\u{3000}", "\u{2003}", "\n", ".", "\u{200B}"]
        for text in ["", " ", "\t \t", "a", " a ", "\u{00A0}", "\u{3000} "] + (0..<5_000).map({ _ in random.text(from: alphabet, length: 0...4) }) {
            #expect(FieldReader.isBlank(text) == text.trimmingCharacters(in: .whitespaces).isEmpty, "\(text.debugDescription)")
        }
    }
}
