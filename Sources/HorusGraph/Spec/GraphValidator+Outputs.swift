/// Graph outputs: topics read from outside the graph, named by the top-level `outputs:` list
/// or `external: true` under `topics:`. They are not warned about as unread; an `outputs:`
/// entry no node publishes is an error.
extension ValidationRun {
    /// The external topics, after reporting `outputs:` entries that are not published.
    mutating func externalTopics(published: [String]) -> Set<String> {
        var names = Set<String>()
        for (i, out) in spec.outputs.enumerated() {
            if let problem = TopicName.problem(with: out.value) {
                error(out.location, "outputs[\(i)]", "outputs: \(problem)")
                continue
            }
            if !published.contains(out.value) {
                let hint = NameSuggester.didYouMean(out.value, from: published)
                error(out.location, "outputs[\(i)]", "outputs: topic '\(out.value)' is not published by any node\(hint)")
                continue
            }
            names.insert(out.value)
        }
        for decl in spec.topics where decl.external?.value == true { names.insert(decl.name.value) }
        for export in spec.bridge?.exports ?? [] { if let t = export.topic { names.insert(t.value) } }  // read over DDS
        return names
    }
}
