package dev.vantage.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A machine-checkable form of a requirements document: roles, modules and requirements. Loaded
 * and validated by {@link Catalogs}; immutable.
 *
 * @param name         catalog name, e.g. {@code jtel-container-stack}
 * @param title        one line for people
 * @param document     the project path of the document it is derived from
 * @param roles        roles by id, in file order
 * @param modules      optional modules by id with their description, in file order
 * @param requirements in file order
 */
public record Catalog(String name, String title, String document, Map<String, Role> roles,
                      Map<String, String> modules, List<Requirement> requirements) {

    public Catalog {
        roles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(roles));
        modules = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(modules));
        requirements = List.copyOf(requirements);
    }

    public Optional<Requirement> requirement(String id) {
        return requirements.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The same catalog without the given requirements (used to show that coverage checks can fail). */
    public Catalog without(String... ids) {
        List<Requirement> kept = new ArrayList<>(requirements);
        kept.removeIf(r -> List.of(ids).contains(r.id()));
        return new Catalog(name, title, document, roles, modules, kept);
    }
}
