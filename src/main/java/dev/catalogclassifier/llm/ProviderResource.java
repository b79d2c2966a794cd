package dev.catalogclassifier.llm;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/providers}: the health of each provider key, by alias, for operators and dashboards. */
@Tag(name = "Providers", description = "The model providers and keys this pod uses, with their learnt limits; no secret is shown")
@Path("/api/v1/providers")
public class ProviderResource {

    private final ProviderPool pool;

    public ProviderResource(ProviderPool pool) {
        this.pool = pool;
    }

    @Operation(summary = "List providers and their keys' limits")
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ProvidersView providers() {
        Instant now = Instant.now();
        long nanos = System.nanoTime();
        Map<String, List<ProviderKey>> byProvider = new LinkedHashMap<>();
        pool.keys().forEach(k -> byProvider.computeIfAbsent(k.provider(), p -> new java.util.ArrayList<>()).add(k));
        return new ProvidersView(byProvider.entrySet().stream().map(e -> {
            ProviderKey first = e.getValue().getFirst();
            Instant downSince = first.outage().downSince();
            return new ProvidersView.Provider(e.getKey(), ProviderStartupCheck.withoutCredentials(first.baseUrl()),
                    List.copyOf(first.models()), first.weight(), first.structuredOutput().label(),
                    downSince == null ? ProvidersView.State.UP : ProvidersView.State.DOWN, downSince,
                    e.getValue().stream().map(k -> key(k, now, nanos)).toList());
        }).toList(), pool.sharedBy());
    }

    private static ProvidersView.Key key(ProviderKey k, Instant now, long nanos) {
        KeyHealth.Snapshot h = k.health().snapshot(now);
        return new ProvidersView.Key(k.alias(), h.state(), Math.round(h.score() * 1000) / 1000.0, h.coolingUntil(),
                h.disabledReason(), h.calls(), h.failures(), k.pacer().snapshot(nanos));
    }
}
