// The building blocks' user-facing types (SystemError in PoolError.system, HorusNamespace)
// come with `import HorusMemory`, as they did before they moved to HorusSystem.
@_exported import HorusSystem
