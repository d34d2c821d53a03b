/**
 * DynamoDB's expression language: each expression string is parsed once into a typed tree, checked
 * with DynamoDB's exact error messages, and then evaluated (or applied) any number of times.
 *
 * <h2>Roles</h2>
 *
 * <ul>
 *   <li>{@link io.flywheel.model.expr.ExpressionContext}: one per request; resolves {@code #name}
 *       and {@code :value} placeholders for all expressions of the request and reports the unused
 *       ones.
 *   <li>{@link io.flywheel.model.expr.ConditionParser} → {@link io.flywheel.model.expr.Condition}
 *       (ConditionExpression, FilterExpression), {@link io.flywheel.model.expr.UpdateExpression},
 *       {@link io.flywheel.model.expr.Projection}, {@link io.flywheel.model.expr.KeyCondition}.
 *   <li>{@link io.flywheel.model.expr.LegacyConditions}: Expected, QueryFilter/ScanFilter,
 *       KeyConditions, AttributeUpdates converted to the same trees.
 *   <li>Inside: {@code Lexer} (tokens), {@code ParserBase} (shared path/operand grammar, syntax
 *       errors, limits), one recursive-descent parser per expression kind producing {@code Syntax}
 *       nodes, {@code Resolver} (placeholders, reserved words, nesting) and {@code Values}
 *       (DynamoDB's comparison rules).
 * </ul>
 *
 * <h2>Grammar (summary)</h2>
 *
 * <pre>
 * path       := (name | #name) ( '.' (name | #name) | '[' digits ']' )*     at most 32 elements
 * operand    := path | :value | function '(' operand, ... ')' | '(' operand ')'
 * condition  := condition OR condition | condition AND condition | NOT condition | '(' condition ')'
 *             | operand (= | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;=) operand
 *             | operand BETWEEN operand AND operand | operand IN '(' operand, ... ')'   (≤ 100)
 *             | attribute_exists(path) | attribute_not_exists(path) | attribute_type(path, :t)
 *             | begins_with(operand, operand) | contains(operand, operand)
 *                 precedence: comparisons, then NOT, then AND, then OR; size(path) is an operand
 * update     := (SET path = value, ... | REMOVE path, ... | ADD path :v, ... | DELETE path :v, ...)+
 * value      := operand | operand + operand | operand - operand
 *                 with operands if_not_exists(path, operand), list_append(operand, operand)
 * projection := path, ...
 * key        := pk = :v [AND (sk op :v | sk BETWEEN :a AND :b | begins_with(sk, :v))]
 * </pre>
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li>Every user error is a {@link io.flywheel.model.DynamoException} (ValidationException) whose
 *       message is DynamoDB's, prefixed "Invalid ConditionExpression: " etc. for errors in the
 *       expression itself. Checks run in DynamoDB's order: size and emptiness, syntax, redundant
 *       parentheses, function names, function placement, reserved words, then placeholders,
 *       operand counts and types in written order.
 *   <li>Parsing is bounded: an expression is at most 4 KB, has at most 300 operators and functions,
 *       and nests at most 300 levels, so the recursive-descent parser's depth is bounded; the lexer
 *       is a linear scan without regular expressions.
 *   <li>Evaluation is total: a missing attribute or a type mismatch makes a comparison false;
 *       applying an update fails only with DynamoDB's ValidationExceptions.
 *   <li>Trees are immutable and may be shared between threads; the context is per request.
 * </ul>
 */
package io.flywheel.model.expr;
