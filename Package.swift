// swift-tools-version:6.0
// horus: zero-copy robotics processing graphs on Linux.
//
// Layers (dependencies point one way):
//   CHorus (C structs: descriptor, DLPack, futex)
//     <- HorusMemory (shared-memory pools, Tensor/Image/PointCloud/DepthImage, DLPack export)
//       <- HorusTopics (typed lock-free rings in shared memory)
//         <- HorusGraph (YAML graphs, validation, scheduler, node protocol)
//           <- HorusNodes (built-in nodes) / HorusRecord (MCAP record/replay)
//             <- HorusCLI (horus-run, horus-bench)
//   HorusMemory, HorusTopics, CHorusPython <- HorusCABI (C ABI, dynamic library horus_c, used by python/horus)
import PackageDescription

let package = Package(
    name: "horus",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "HorusMemory", targets: ["HorusMemory"]),
        .library(name: "HorusTopics", targets: ["HorusTopics"]),
        // C ABI for Python (ctypes) and other foreign callers: libhorus_c.so.
        .library(name: "horus_c", type: .dynamic, targets: ["HorusCABI"]),
        .library(name: "HorusTesting", targets: ["HorusTesting"]),
        .executable(name: "horus-bench", targets: ["horus-bench"]),
        .executable(name: "horus-run", targets: ["horus-run"]),
        .library(name: "HorusPlugins", targets: ["HorusPlugins"]),
        // Authoring kit for Swift plugins (C-only dependency: see docs/writing-plugins.md).
        .library(name: "HorusPluginKit", targets: ["HorusPluginKit"]),
        // Example Swift plugin: `edge_detect` (Sobel magnitude), loaded with dlopen.
        .library(name: "HorusEdgeDetectPlugin", type: .dynamic, targets: ["EdgeDetectPlugin"]),
        .executable(name: "horus-testproc", targets: ["horus-testproc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .target(name: "CHorus"),
        .target(
            name: "HorusMemory",
            dependencies: ["CHorus", .product(name: "Atomics", package: "swift-atomics")]
        ),
        .target(
            name: "HorusTopics",
            dependencies: ["HorusMemory", "CHorus", .product(name: "Atomics", package: "swift-atomics")]
        ),
        .target(
            name: "HorusGraph",
            dependencies: ["HorusTopics", .product(name: "Yams", package: "Yams")]
        ),
        // The CPython-facing C code of libhorus_c (DLPack capsules, builtin fast paths).
        // It finds CPython with dlsym at run time (never links libpython) and calls
        // horus_c_api.h functions, so only HorusCABI may depend on it.
        .target(name: "CHorusPython", dependencies: ["CHorus"]),
        .target(name: "HorusCABI", dependencies: ["HorusMemory", "HorusTopics", "CHorus", "CHorusPython"]),
        .target(name: "HorusNodes", dependencies: ["HorusGraph"]),
        .target(name: "HorusRecord", dependencies: ["HorusGraph", "CHorus"]),
        // libpng (Debian libpng-dev), the maintained PNG encoder the pictures are written with.
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        // Pictures of messages: Image, DepthImage, Costmap, PointCloud rendered to RGB8, written as PNG.
        .target(name: "HorusPicture", dependencies: ["HorusMemory", "CLibPNG"]),
        // Foxglove WebSocket server (foxglove.websocket.v1) over swift-nio: channels, subscriptions,
        // bounded per-client send queues. Knows no horus message type (channels encode themselves).
        .target(
            name: "HorusView",
            dependencies: [.product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                           .product(name: "Atomics", package: "swift-atomics")]
        ),
        .target(name: "HorusPlugins", dependencies: ["HorusGraph", "HorusMemory", "HorusTopics", "CHorus"]),
        // Must depend on CHorus only: a plugin linking its own copy of a horus Swift module
        // would have duplicate type metadata, so only C types may cross the boundary.
        .target(name: "HorusPluginKit", dependencies: ["CHorus"]),
        .target(name: "EdgeDetectPlugin", dependencies: ["HorusPluginKit"], path: "Plugins/EdgeDetect"),
        // Deterministic pipeline tests: inject messages or a recording, step, assert.
        .target(name: "HorusTesting", dependencies: ["HorusGraph", "HorusNodes", "HorusRecord", "HorusMemory", "HorusTopics"]),
        .executableTarget(
            name: "horus-run",
            dependencies: ["HorusGraph", "HorusNodes", "HorusRecord", "HorusTopics", "HorusMemory", "HorusPlugins", "CHorus", "HorusPicture", "HorusView",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Atomics", package: "swift-atomics")]
        ),
        .executableTarget(
            name: "horus-testproc",
            dependencies: ["HorusMemory", "HorusTopics", "CHorus"]
        ),
        .executableTarget(
            name: "horus-bench",
            dependencies: [
                "HorusMemory", "HorusTopics", "HorusNodes", "CHorus", "HorusRecord", "HorusGraph", "HorusPlugins",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Atomics", package: "swift-atomics"),
            ]
        ),
        // Shared helpers of the test targets (pools with unique names, child processes).
        .target(name: "HorusTestSupport", dependencies: ["HorusMemory"], path: "Tests/HorusTestSupport"),
        .testTarget(name: "HorusMemoryTests", dependencies: ["HorusMemory", "CHorus", "HorusTestSupport"]),
        .testTarget(name: "HorusTopicsTests", dependencies: ["HorusTopics", "HorusMemory", "CHorus", "HorusTestSupport"]),
        .testTarget(name: "HorusGraphTests", dependencies: ["HorusGraph"]),
        .testTarget(name: "HorusNodesTests", dependencies: ["HorusNodes"]),
        // Runs the built horus-run binary as a subprocess (and horus-testproc as a publisher).
        .testTarget(name: "HorusCLITests", dependencies: ["HorusMemory", "HorusRecord", "HorusGraph", "HorusPicture", "horus-run", "horus-testproc", "HorusTestSupport"]),
        .testTarget(name: "HorusPluginsTests", dependencies: ["HorusPlugins", "HorusGraph", "HorusMemory", "HorusTopics", "CHorus"]),
        .testTarget(name: "HorusRecordTests", dependencies: ["HorusRecord", "HorusNodes", "HorusGraph", "HorusMemory", "HorusTopics", "HorusTestSupport"]),
        .testTarget(name: "HorusPictureTests", dependencies: ["HorusPicture", "HorusMemory"]),
        // Drives the server with Python `websockets` clients (a real third-party client) in child processes.
        .testTarget(name: "HorusViewTests", dependencies: ["HorusView", "HorusTestSupport"], exclude: ["Scripts"]),
        .testTarget(name: "HorusTestingTests", dependencies: ["HorusTesting", "HorusNodes", "HorusRecord", "HorusGraph", "HorusMemory"]),
    ],
    swiftLanguageModes: [.v5]
)
