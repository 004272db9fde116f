package dev.vantage.plan;

import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.site.Site;
import dev.vantage.site.Sites;
import dev.vantage.wire.ProbeTask;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Task ids are derived from everything a task is, parameters included, and the coordinator, the agents' replay
 * caches and stored surveys know tasks by them: these ids were planned before the parameters became typed
 * records, and a change in how a record writes its parameters would change them.
 */
class TaskIdsTest {

    @ParameterizedTest(name = "{1} {3} from {2} ({0})")
    @CsvSource(delimiter = '|', textBlock = """
            # mode       | requirement                      | vantage   | kind      | target             | ports       | params                                                                 | id
            POST_INSTALL | nat.outbound                     | internet  | respond   | 198.51.100.77      | 443         | {duration=PT15M, requirements=nat.outbound, serve=nat, transport=tcp} | 98b374c2-81af-32bb-bc80-0b9ad5ce5e17
            PRE_INSTALL  | inbound.ssh                      | acd-stack | respond   | 10.20.0.10         | 22          | {duration=PT15M, requirements=inbound.ssh,inbound.ssh-blocked-from-internet, serve=accept, transport=tcp} | dc31ca29-dc6a-31c4-9925-ea23362b9a5e
            POST_INSTALL | dns.fqdn-internal                | end-users | dns       | jtelacd.example.com |            | {expect=10.20.0.10, record=A}                                          | 16952b8d-f06f-39ac-a10c-779b388bfc3d
            POST_INSTALL | inbound.ssh-blocked-from-internet | internet | tcp       | 203.0.113.10       | 22          | {expectState=blocked}                                                  | b0a6aff6-6519-3d63-859c-468d3fd750f9
            POST_INSTALL | inbound.https                    | end-users | tls       | 10.20.0.10         | 443         | {sni=jtelacd.example.com}                                              | dca6bd5c-c349-30c0-a9c1-14a82c865674
            POST_INSTALL | outbound.registry                | acd-stack | tls       | dockerhub.jtel.de  | 443         | {public=true, sni=dockerhub.jtel.de}                                   | d96373e7-0c1b-30a7-8838-2b19160342d4
            POST_INSTALL | outbound.registry                | acd-stack | http      | dockerhub.jtel.de  | 443         | {check=registry, path=/v2/, scheme=https, sni=dockerhub.jtel.de}       | 5d050d79-24e2-33bd-849b-5fd25bd1e9b2
            POST_INSTALL | inbound.sips                     | trunk     | sip       | 203.0.113.10       | 5061        | {sni=jtelacd.example.com, transport=tls}                               | 95739943-93df-36b0-a10a-1785b41055ec
            POST_INSTALL | nat.hairpin-rtp                  | end-users | udp-range | 203.0.113.10       | 30000-34999 | {check=hairpin, concurrency=4000, rate=2000}                           | 60f36313-6604-32d4-8541-d986c6c00ea9
            PRE_INSTALL  | inbound.rtp                      | trunk     | udp-range | 203.0.113.10       | 30000-34999 | {concurrency=4000, rate=2000, responder=true}                          | 9f11cfd9-272f-3c70-8f45-458262433577
            PRE_INSTALL  | inbound.rtp                      | trunk     | rtp       | 203.0.113.10       | 30000       | {duration=PT5S, maxJitterMs=30, maxLossPct=1, minMos=3.6, rate=50, responder=true} | 974410c0-b720-37a8-9b02-6f99e80c7493
            POST_INSTALL | nat.outbound                     | acd-stack | nat       | 198.51.100.77      | 443         | {responder=true, transport=tcp}                                        | 41de1d2b-cf02-385c-95a2-f81a25b9012a
            """)
    void keepsTheIdsOfTheExampleSite(Mode mode, String requirement, String vantage, String kind, String target,
                                     String ports, String params, String id) {
        assertThat(task(Path.of("..", "deploy", "examples", "site-example.yaml"), "jtel-container-stack", mode, id))
                .isEqualTo(requirement + " " + vantage + " " + kind + " " + target + " " + ports + " " + params);
    }

    @ParameterizedTest(name = "{1} {3} to {4}")
    @CsvSource(delimiter = '|', textBlock = """
            PRE_INSTALL | legacy.database | acd-lb | tcp-range | 10.30.0.11 | 3306-3308 | {responder=true} | 446cd7a3-ab5d-36d5-9a28-648566b7e4bb
            PRE_INSTALL | legacy.database | acd-lb | tcp-range | 10.30.0.12 | 3306-3308 | {responder=true} | faf660f8-0206-3b93-b177-971f767089a4
            """)
    void keepsTheIdsOfTheLegacyExample(Mode mode, String requirement, String vantage, String kind, String target,
                                       String ports, String params, String id) {
        assertThat(task(Path.of("..", "deploy", "examples", "site-legacy-example.yaml"), "jtel-acd-legacy", mode, id))
                .isEqualTo(requirement + " " + vantage + " " + kind + " " + target + " " + ports + " " + params);
    }

    private static String task(Path siteFile, String catalog, Mode mode, String id) {
        Site site = Sites.load(siteFile);
        Plan plan = new Planner().plan(Catalogs.bundled(catalog), site, Set.of(), mode);
        ProbeTask t = plan.tasks().stream().filter(x -> x.taskId().equals(id)).findFirst().orElse(null);
        if (t == null) {
            return "no task with id " + id;
        }
        return t.requirementId() + " " + t.vantage() + " " + t.kind().wireName() + " " + t.target() + " "
                + (t.ports() == null ? "null" : t.ports()) + " " + new TreeMap<>(t.params());
    }
}
