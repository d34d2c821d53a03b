/**
 * Request authentication: AWS Signature Version 4, verified on the server exactly as DynamoDB
 * verifies it, with DynamoDB's error types and messages.
 *
 * <p>The HTTP layer turns each request into a {@link io.flywheel.httpapi.auth.SignedRequest} (raw
 * path, raw query, headers as received, body) and calls {@link
 * io.flywheel.httpapi.auth.SigV4Verifier#verify}, which returns the {@link
 * io.flywheel.httpapi.auth.Principal} or throws a {@link io.flywheel.model.DynamoException}.
 * Secrets come from a {@link io.flywheel.httpapi.auth.CredentialStore}; an empty store means open
 * mode, as in DynamoDB Local.
 *
 * <p>Rules: JDK, {@code flywheel-base} and {@code flywheel-model} only; no Netty here, so the
 * verifier can be tested and reused without a server. Time comes from an injected {@link
 * io.flywheel.base.Clock}, never the system clock. Everything is thread-safe, and the per-request
 * path avoids regular expressions and needless allocation. Error texts live in {@code AuthErrors},
 * each with the source that shows DynamoDB returns it. Secrets are never logged or put in messages.
 */
package io.flywheel.httpapi.auth;
