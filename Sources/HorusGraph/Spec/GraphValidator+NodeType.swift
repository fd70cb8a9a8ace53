/// Node-type resolution: built-in types from the registry, plugin types through the resolver.
extension ValidationRun {
    mutating func checkNode(_ check: inout NodeCheck) {
        resolveType(&check)
        let node = check.spec
        if let isolate = node.isolate, isolate.value == .process, check.source == .builtin {
            error(isolate.location, "\(node.keyPath).isolate",
                  "\(node.label): 'isolate: process' is only supported for plugin nodes; built-in type '\(check.type?.name ?? "")' runs in-process")
        }
        guard let type = check.type else { return }
        checkParams(&check, type)
        checkPorts(&check, type)
        checkTrigger(&check, type)
    }

    mutating func resolveType(_ check: inout NodeCheck) {
        let node = check.spec
        if let plugin = node.plugin {
            resolvePluginType(&check, plugin)
            return
        }
        guard let typeName = node.type else {
            if node.keyLocations["type"] == nil {
                error(node.location, "\(node.keyPath).type",
                      "\(node.label): node has neither 'type' (a built-in node type) nor 'plugin' (a plugin library plus 'type')")
            }
            return
        }
        if let type = registry[typeName.value] {
            check.type = type
            check.source = .builtin
            return
        }
        var hint = NameSuggester.didYouMean(typeName.value, from: registry.names)
        if hint.isEmpty {
            hint = registry.names.isEmpty ? " (no node types are registered)"
                : registry.names.count <= 12 ? " (known types: \(registry.names.joined(separator: ", ")))" : ""
        }
        error(typeName.location, "\(node.keyPath).type", "\(node.label): unknown node type '\(typeName.value)'\(hint)")
    }

    mutating func resolvePluginType(_ check: inout NodeCheck, _ plugin: Located<String>) {
        let node = check.spec
        let keyPath = "\(node.keyPath).plugin"
        guard let resolver else {
            error(plugin.location, keyPath,
                  "\(node.label): cannot load plugin '\(plugin.value)': no plugin loader is configured")
            return
        }
        let firstUse = pluginCache[plugin.value] == nil
        let result = pluginCache[plugin.value]
            ?? resolver.resolve(plugin: plugin.value, graphDirectory: spec.directory, at: plugin.location)
        pluginCache[plugin.value] = result
        let loaded: ResolvedPlugin
        switch result {
        case .failure(let failure):
            error(plugin.location, keyPath, "\(node.label): cannot load plugin '\(plugin.value)': \(failure)")
            return
        case .success(let p): loaded = p
        }
        var valid: [NodeTypeSpec] = []
        for type in loaded.nodeTypes {
            let problems = type.problems()
            if problems.isEmpty { valid.append(type); continue }
            if firstUse {
                error(plugin.location, keyPath,
                      "\(node.label): plugin '\(loaded.path)' exports an invalid node type '\(type.name)': \(problems.joined(separator: "; "))")
            }
        }
        let names = valid.map(\.name)
        guard let typeName = node.type else {
            if valid.count == 1 {
                check.type = valid[0]
                check.source = .plugin(path: loaded.path)
            } else if node.keyLocations["type"] == nil {
                let what = valid.isEmpty ? "exports no usable node types"
                    : "exports several node types (\(names.joined(separator: ", "))); set 'type' to choose one"
                error(plugin.location, keyPath, "\(node.label): plugin '\(plugin.value)' \(what)")
            }
            return
        }
        if let type = valid.first(where: { $0.name == typeName.value }) {
            check.type = type
            check.source = .plugin(path: loaded.path)
            return
        }
        var hint = NameSuggester.didYouMean(typeName.value, from: names)
        if registry[typeName.value] != nil {
            hint += " ('\(typeName.value)' is a built-in type; remove 'plugin' to use it)"
        }
        let exports = names.isEmpty ? "it exports no node types" : "it exports: \(names.joined(separator: ", "))"
        error(typeName.location, "\(node.keyPath).type",
              "\(node.label): plugin '\(plugin.value)' has no node type '\(typeName.value)'\(hint) (\(exports))")
    }
}
