package io.flywheel.httpapi.auth;

/**
 * Who sent a verified request.
 *
 * @param accessKeyId the access key id named in the credential scope
 * @param region the region named in the credential scope
 * @param accountId the account the key acts for; {@code 000000000000} in open mode
 */
public record Principal(String accessKeyId, String region, String accountId) {}
