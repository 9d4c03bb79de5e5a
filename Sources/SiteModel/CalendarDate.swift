/// A calendar date written `YYYY-MM-DD`, or a date and time as Hugo, Jekyll and Eleventy write them
/// (RFC 3339 `2021-01-03T15:34:00+00:00`, `…Z`, fractions of a second, a space for `T`, Jekyll's
/// `2021-01-03 15:34:00 +0000`, no zone = UTC); only real dates and times parse (no February 30th, no 25:00).
/// The date is the one written (in its own zone: what a reader of the page expects to see); a time also
/// gives the instant, by which dated things sort.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int
    /// Seconds since 1970-01-01T00:00:00Z, when a time was given.
    public private(set) var instant: Int64?

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.days(inMonth: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// A date with the instant it was given with (a build record reading back what it wrote).
    public init?(year: Int, month: Int, day: Int, instant: Int64?) {
        self.init(year: year, month: month, day: day)
        self.instant = instant
    }

    /// Parses `YYYY-MM-DD`, or that followed by a time (see the type).
    public init?(_ text: String) {
        guard text.utf8.count > 10 else {
            self.init(dateOnly: text)
            return
        }
        let bytes = Array(text.utf8)
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
              let date = CalendarDate(dateOnly: String(decoding: bytes[0..<10], as: UTF8.self)),
              let seconds = Self.time(bytes[11...]) else { return nil }
        self = date
        instant = date.daysSince1970 * 86_400 + seconds
    }

    /// Seconds after the date's midnight UTC for `HH:MM[:SS[.fff]][ ][Z|±HH:MM|±HHMM]`.
    static func time(_ rest: ArraySlice<UInt8>) -> Int64? {
        var bytes = Array(rest)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count, bytes[range].allSatisfy({ (48...57).contains($0) }) else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        guard bytes.count >= 5, bytes[2] == UInt8(ascii: ":"), let hour = number(0..<2), let minute = number(3..<5),
              hour < 24, minute < 60 else { return nil }
        var second = 0
        var index = 5
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            guard let value = number(6..<8), value < 61 else { return nil }
            second = min(value, 59)
            index = 8
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let start = index
                while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
                if index == start { return nil }
            }
        }
        bytes = Array(bytes[index...])
        if bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
        var offset = 0
        switch bytes.first {
        case nil:
            break
        case UInt8(ascii: "Z")?, UInt8(ascii: "z")?:
            guard bytes.count == 1 else { return nil }
        case UInt8(ascii: "+")?, UInt8(ascii: "-")?:
            let sign = bytes[0] == UInt8(ascii: "-") ? -1 : 1
            let digits = bytes.count == 6 && bytes[3] == UInt8(ascii: ":") ? [1, 2, 4, 5] : bytes.count == 5 ? [1, 2, 3, 4] : []
            guard digits.count == 4, digits.allSatisfy({ (48...57).contains(bytes[$0]) }) else { return nil }
            let value = { (i: Int) in Int(bytes[digits[i]] - 48) }
            let hours = value(0) * 10 + value(1), minutes = value(2) * 10 + value(3)
            guard hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        default:
            return nil
        }
        return Int64(hour * 3600 + minute * 60 + second - offset)
    }

    /// Days from 1970-01-01 to this date (proleptic Gregorian).
    var daysSince1970: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year), m = Int64(month), d = Int64(day)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Exactly `YYYY-MM-DD`.
    init?(dateOnly text: String) {
        // `YYYY-MM-DD`: ten ASCII bytes, dashes at 4 and 7, digits elsewhere.
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String {
        let y = String(year), m = String(month), d = String(day)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-"
            + (m.count < 2 ? "0" : "") + m + "-" + (d.count < 2 ? "0" : "") + d
    }

    /// By instant when both have a time, else by date (a date without a time is its day's midnight UTC).
    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.instant ?? a.daysSince1970 * 86_400) < (b.instant ?? b.daysSince1970 * 86_400)
    }
}
