// swift-tools-version:6.0
// The Swift plugin kit on its own: CHorus (the C headers) and HorusPluginKit, with none of
// horus's package dependencies (Yams, swift-argument-parser, swift-atomics). A plugin package
// depends on this directory, e.g. `.package(path: "<horus>/PluginKit")`, and uses
// `.product(name: "HorusPluginKit", package: "PluginKit")`. The sources are horus's own
// (Sources/CHorus and Sources/HorusPluginKit, linked here), so there is one copy of them.
import PackageDescription

let package = Package(
    name: "HorusPluginKit",
    products: [.library(name: "HorusPluginKit", targets: ["HorusPluginKit"])],
    targets: [
        .target(name: "CHorus", path: "Sources/CHorus"),
        .target(name: "HorusPluginKit", dependencies: ["CHorus"], path: "Sources/HorusPluginKit"),
    ],
    swiftLanguageModes: [.v5]
)
