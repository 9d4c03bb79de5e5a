import SiteIO

/// The random texts and documents of this target's tests come from SiteIO's seeded generator (the same
/// ones every run).
extension SplitMix64 {
    /// A number below `bound`.
    mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Pieces of `alphabet` joined, as many as a number in `length`.
    mutating func text(from alphabet: [String], length: ClosedRange<Int>) -> String {
        let count = length.lowerBound + next(length.count)
        return (0..<count).map { _ in alphabet[next(alphabet.count)] }.joined()
    }
}
