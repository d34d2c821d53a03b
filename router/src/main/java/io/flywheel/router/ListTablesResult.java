package io.flywheel.router;

import java.util.List;

/** A page of table names; {@code lastEvaluatedTableName} is null on the last page. */
public record ListTablesResult(List<String> tableNames, String lastEvaluatedTableName) {}
