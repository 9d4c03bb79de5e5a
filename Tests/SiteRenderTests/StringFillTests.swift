import Testing
@testable import SiteRender

/// A string table's placeholders are filled on bytes; the result is what the character-by-character fill
/// gave, over handpicked and random patterns.
@Suite struct StringFillTests {
    /// The fill as it was written before it read bytes.
    static func fillByCharacters(_ pattern: String, _ values: [String: String]) -> String {
        guard pattern.contains("{") else { return pattern }
        var result = ""
        var rest = pattern[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(where: { $0 == "}" || $0 == "{" }), rest[close] == "}",
                  let value = values[String(rest[after..<close])] else {
                result.append("{")
                rest = rest[after...]
                continue
            }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    @Test func placeholdersAreFilledAsCharactersFilledThem() {
        let values = ["count": "3", "name": "Lille {x}", "n": "", "日": "day", "x": "{count}"]
        var state: UInt64 = 5
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let pieces = ["{", "}", "count", "name", "n", "x", "日", " ", "a", "{{", "}}", "é"]
        var patterns = ["", "no braces", "{count} items", "{{count}}", "{count", "count}", "{nope}", "{name}{n}{x}", "{日}",
                        "{ count}", "{count}{", "a{b{count}c}d"]
        for _ in 0..<20_000 {
            patterns.append((0..<Int(next() % 8)).map { _ in pieces[Int(next() % UInt64(pieces.count))] }.joined())
        }
        for pattern in patterns {
            #expect(Strings.fill(pattern, values) == Self.fillByCharacters(pattern, values), "\(pattern.debugDescription)")
        }
        #expect(Strings.has("{month}", in: "{day} {month} {year}"))
        #expect(!Strings.has("{month}", in: "{day} {month_number}"))
        #expect(!Strings.has("{month}", in: "{mon"))
    }
}
