import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs `work` for every index on `threads` threads (all cores unless told) and returns the results in
/// index order, so the output of a parallel stage is exactly that of a sequential one. `work` must only read
/// shared state.
public func parallelMap<T>(_ count: Int, threads: Int = Parallelism.processors, _ work: (Int) -> T) -> [T] {
    guard count > 1, threads > 1 else { return (0..<count).map(work) }
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer { results.deinitialize(); results.deallocate() }
    withoutActuallyEscaping(work) { work in
        let shared = UnsafeShared(work: work, results: results)
        // Each thread takes the next small run of indexes until none is left: pages differ in cost, and
        // fixed shares left one core idle at the end of a stage while the other finished its share.
        let run = max(1, count / (threads * 64))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                let start = next.wrappingAdd(run, ordering: .relaxed).oldValue
                if start >= count { break }
                for index in start..<min(start + run, count) {
                    shared.results[index] = shared.work(index)
                }
            }
        }
    }
    return results.map { $0! }
}

/// `parallelMap` over the elements of an array.
public func parallelMap<E, T>(_ items: [E], threads: Int = Parallelism.processors, _ work: (E) -> T) -> [T] {
    items.withUnsafeBufferPointer { buffer in parallelMap(buffer.count, threads: threads) { work(buffer[$0]) } }
}

/// Runs three independent pieces of work at once (each must only read shared state) and returns their
/// results.
public func concurrently<A, B, C>(threads: Int = Parallelism.processors, _ a: () -> A, _ b: () -> B, _ c: () -> C) -> (A, B, C) {
    var first: A?, second: B?, third: C?
    withUnsafeMutablePointer(to: &first) { first in
        withUnsafeMutablePointer(to: &second) { second in
            withUnsafeMutablePointer(to: &third) { third in
                let slots = UnsafeSlots(first: first, second: second, third: third)
                _ = parallelMap(3, threads: threads) { index in
                    switch index {
                    case 0: slots.first.pointee = a()
                    case 1: slots.second.pointee = b()
                    default: slots.third.pointee = c()
                    }
                }
            }
        }
    }
    return (first!, second!, third!)
}

/// Where `concurrently` puts each result: each slot is written by one thread only.
private struct UnsafeSlots<A, B, C>: @unchecked Sendable {
    let first: UnsafeMutablePointer<A?>
    let second: UnsafeMutablePointer<B?>
    let third: UnsafeMutablePointer<C?>
}

/// The closure and result buffer as the worker threads see them: each index is written by one thread only.
private struct UnsafeShared<T>: @unchecked Sendable {
    let work: (Int) -> T
    let results: UnsafeMutableBufferPointer<T?>
}

/// How many cores there are: what the parallel stages use unless `orbis build --jobs N` says otherwise
/// (`--jobs 1` is the sequential build that parallel builds are checked against). The number a build uses
/// is passed down to each stage (`threads:`), never set globally.
public enum Parallelism {
    public static let processors: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 4
        #endif
    }()
}
