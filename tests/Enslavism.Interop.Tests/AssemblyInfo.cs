// The peers and browsers are CPU-heavy on a 2-core machine and each test owns a whole WebRTC session: run them
// one after another so that timings and timeouts mean something.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
