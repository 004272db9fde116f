package dev.vantage.coordinator.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The dispatched tasks results are checked against, read a survey at a time and kept for the surveys most
 * recently answered. A survey's tasks are written once, in the transaction that creates it, and never change,
 * so a kept copy is as good as the table on every replica; what does change, whether a task is answered, is
 * not kept here. Instead of an index probe per result and batch, ingest reads each survey's tasks in one
 * query. At most {@code capacity} tasks are kept (about 100 bytes each: a map entry, the task id, the task);
 * a survey with more is looked up batch by batch.
 */
final class TaskDirectory {
    /** The dispatched task a result claims to answer. */
    record Task(String agentId, String siteId, String vantage, String requirementId, Instant surveyCreatedAt) {
    }

    /** A survey and task id pair, as a result names them. */
    record Key(UUID surveyId, UUID taskId) {
    }

    private final int capacity;
    /** Tasks per survey, least recently used first. */
    private final LinkedHashMap<UUID, Map<UUID, Task>> surveys = new LinkedHashMap<>(16, 0.75f, true);
    private int kept;

    TaskDirectory(int capacity) {
        this.capacity = capacity;
    }

    /**
     * The dispatched tasks of these keys; a key without a task (unknown or deleted survey, unknown task) is
     * absent. One query per call checks that the surveys still exist: a deleted site takes its surveys along,
     * and their kept tasks must not make late results look valid.
     */
    Map<Key, Task> find(Connection c, Collection<Key> keys) throws SQLException {
        Set<UUID> existing = existing(c, keys.stream().map(Key::surveyId).collect(java.util.stream.Collectors.toSet()));
        Map<Key, Task> out = new HashMap<>();
        Set<Key> unkept = new LinkedHashSet<>();
        Map<UUID, Map<UUID, Task>> surveys = new HashMap<>(); // a batch names few surveys: read each once
        for (Key key : keys) {
            if (!existing.contains(key.surveyId())) {
                continue;
            }
            if (!surveys.containsKey(key.surveyId())) {
                surveys.put(key.surveyId(), tasksOf(c, key.surveyId()));
            }
            Map<UUID, Task> tasks = surveys.get(key.surveyId());
            if (tasks != null) {
                Task task = tasks.get(key.taskId());
                if (task != null) {
                    out.put(key, task);
                }
            } else {
                unkept.add(key);
            }
        }
        if (!unkept.isEmpty()) {
            out.putAll(lookUp(c, unkept));
        }
        return out;
    }

    /** Which of these surveys exist; the kept tasks of the others are dropped. */
    private Set<UUID> existing(Connection c, Set<UUID> named) throws SQLException {
        Set<UUID> existing = new java.util.HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM survey WHERE id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("uuid", named.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    existing.add(rs.getObject(1, UUID.class));
                }
            }
        }
        synchronized (this) {
            for (UUID id : named) {
                Map<UUID, Task> gone = existing.contains(id) ? null : surveys.remove(id);
                if (gone != null) {
                    kept -= gone.size();
                }
            }
        }
        return existing;
    }

    /** Number of tasks kept, for tests. */
    synchronized int kept() {
        return kept;
    }

    /** The survey's tasks, read on first use; null when it is unknown or too large to keep. */
    private synchronized Map<UUID, Task> tasksOf(Connection c, UUID surveyId) throws SQLException {
        Map<UUID, Task> tasks = surveys.get(surveyId);
        if (tasks != null) {
            return tasks;
        }
        int count;
        try (PreparedStatement s = c.prepareStatement("SELECT task_count FROM survey WHERE id = ?")) {
            s.setObject(1, surveyId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next() || rs.getInt(1) > capacity) {
                    return null; // gone meanwhile, or too large to keep
                }
                count = rs.getInt(1);
            }
        }
        tasks = new HashMap<>(count * 4 / 3 + 1);
        try (PreparedStatement s = c.prepareStatement("SELECT t.task_id, t.agent_id, s.site_id, t.vantage, "
                + "t.requirement_id, s.created_at FROM survey_task t JOIN survey s ON s.id = t.survey_id "
                + "WHERE t.survey_id = ?")) {
            s.setObject(1, surveyId);
            s.setFetchSize(10_000);
            Map<String, String> names = new HashMap<>(); // agents, vantages and requirements repeat
            Instant created = null; // the survey's, the same for every task
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    created = created != null ? created : rs.getTimestamp(6).toInstant();
                    tasks.put(rs.getObject(1, UUID.class), new Task(intern(names, rs.getString(2)),
                            intern(names, rs.getString(3)), intern(names, rs.getString(4)),
                            intern(names, rs.getString(5)), created));
                }
            }
        }
        for (Iterator<Map<UUID, Task>> it = surveys.values().iterator(); kept + tasks.size() > capacity && it.hasNext(); ) {
            kept -= it.next().size();
            it.remove();
        }
        surveys.put(surveyId, tasks);
        kept += tasks.size();
        return tasks;
    }

    private static String intern(Map<String, String> names, String name) {
        return names.computeIfAbsent(name, n -> n);
    }

    /** One index probe per key, for surveys not kept. */
    private static Map<Key, Task> lookUp(Connection c, Collection<Key> keys) throws SQLException {
        Map<Key, Task> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT t.survey_id, t.task_id, t.agent_id, s.site_id, t.vantage, "
                + "t.requirement_id, s.created_at FROM survey_task t "
                + "JOIN unnest(?::uuid[], ?::uuid[]) AS k(survey_id, task_id) "
                + "ON t.survey_id = k.survey_id AND t.task_id = k.task_id JOIN survey s ON s.id = t.survey_id")) {
            s.setArray(1, c.createArrayOf("uuid", keys.stream().map(Key::surveyId).toArray()));
            s.setArray(2, c.createArrayOf("uuid", keys.stream().map(Key::taskId).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(new Key(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)), new Task(rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
                }
            }
        }
        return out;
    }
}
