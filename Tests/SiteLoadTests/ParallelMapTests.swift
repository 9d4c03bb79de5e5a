import SiteModel
import Testing

/// Every stage's parallel loop: threads take small runs of indexes as they free up, and the results must
/// still be every index's, once, in index order.
@Suite struct ParallelMapTests {
    @Test func resultsAreInIndexOrderWhateverTheCountsAndThreads() {
        for count in [0, 1, 2, 3, 63, 64, 65, 127, 128, 129, 1000, 10_007] {
            for threads in [1, 2, 3, 8] {
                let results = parallelMap(count, threads: threads) { index -> [Int] in
                    // Uneven work: some indexes cost far more than others.
                    var sum = 0
                    for step in 0..<(index % 7 == 0 ? 20_000 : 10) { sum &+= step ^ index }
                    return [index, sum]
                }
                let expected = (0..<count).map { index -> [Int] in
                    var sum = 0
                    for step in 0..<(index % 7 == 0 ? 20_000 : 10) { sum &+= step ^ index }
                    return [index, sum]
                }
                #expect(results == expected, "count \(count), threads \(threads)")
            }
        }
    }
}
