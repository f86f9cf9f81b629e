package io.camelcast.http;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;

/**
 * Who may call the upload endpoints ({@code /manual-upload}, {@code /custom-upload}, TUS): the API key in
 * {@code X-Api-Key} (compared in constant time) or an HS256 JWT in {@code Authorization: Bearer ...}
 * signed with {@code camelcast.upload.jwt-secret} (expiry and not-before checked with 30 s leeway,
 * issuer when configured). Nothing configured means closed. The answer never says which part was wrong
 * beyond "missing", "wrong key" or "invalid token".
 */
public final class UploadAuth {

    private final ApiKeyGuard apiKey;
    private final JWTVerifier jwt;

    public UploadAuth(String apiKey, String jwtSecret, String issuer) {
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : new ApiKeyGuard(apiKey);
        if (jwtSecret == null || jwtSecret.isBlank()) {
            this.jwt = null;
        } else {
            var v = JWT.require(Algorithm.HMAC256(jwtSecret)).acceptLeeway(30);
            if (issuer != null && !issuer.isBlank()) {
                v = v.withIssuer(issuer);
            }
            this.jwt = v.build();
        }
    }

    /** For routes: as {@link #check}, leaving the message body alone (a bean step's result would replace it). */
    public void require(String presentedKey, String authorization) {
        check(presentedKey, authorization);
    }

    /** Throws {@link Refused} 401 unless the key or the token is good; returns the caller ("api-key" or the JWT subject). */
    public String check(String presentedKey, String authorization) {
        if (apiKey == null && jwt == null) {
            throw new Refused(401, "uploads are closed: set camelcast.api-key or camelcast.upload.jwt-secret");
        }
        if (presentedKey != null && !presentedKey.isEmpty()) {
            if (apiKey == null) {
                throw new Refused(401, "wrong API key");
            }
            try {
                apiKey.check(presentedKey);
                return "api-key";
            } catch (ApiKeyGuard.Rejected r) {
                throw new Refused(401, r.getMessage());
            }
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (jwt == null) {
                throw new Refused(401, "bearer tokens are not accepted here (no camelcast.upload.jwt-secret)");
            }
            try {
                String subject = jwt.verify(authorization.substring(7).trim()).getSubject();
                return subject == null ? "jwt" : subject;
            } catch (JWTVerificationException e) {
                throw new Refused(401, "invalid token");
            }
        }
        throw new Refused(401, "missing X-Api-Key header or Authorization: Bearer token");
    }
}
