package io.camelcast.media;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.camelcast.http.Refused;
import java.util.List;
import java.util.Set;

/**
 * Who may call the media endpoints: the seed's authorizer (an HS256 JWT in {@code Authorization: Bearer},
 * claims {@code id}, {@code role}, {@code mentorIds}) and its {@code is_authorized} rule, signed with
 * {@code camelcast.media.jwt-secret}.
 *
 * <p>401 when the header is missing or not a bearer token, the token is malformed, not HS256 (so
 * {@code alg: none} too), badly signed, without {@code exp}, expired (60 s leeway) or lacks the seed's
 * required claims; 403 when the mentor is not in {@code mentorIds} and the role is none of the editor roles.
 * Nothing configured means closed (401). The token is never logged or echoed.
 */
public final class MediaAuth {

    /** The seed's roles that may edit any mentor (module/utils.py is_authorized). */
    static final Set<String> EDITOR_ROLES = Set.of("ADMIN", "CONTENT_MANAGER", "SUPER_ADMIN", "SUPER_CONTENT_MANAGER");
    static final long LEEWAY_SECONDS = 60;

    /** The verified caller. */
    public record Caller(String id, String role, List<String> mentorIds) {
        boolean mayEdit(String mentor) {
            return EDITOR_ROLES.contains(role) || mentorIds.contains(mentor);
        }
    }

    private final JWTVerifier verifier;

    public MediaAuth(String secret) {
        this.verifier = secret == null || secret.isBlank() ? null
                : JWT.require(Algorithm.HMAC256(secret)).acceptLeeway(LEEWAY_SECONDS).build();
    }

    /** The caller of a request with this {@code Authorization} header, or {@link Refused} 401. */
    public Caller caller(String authorization) {
        if (verifier == null) {
            throw new Refused(401, "media endpoints are closed: set camelcast.media.jwt-secret");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Refused(401, "missing Authorization: Bearer token");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(authorization.substring(7).trim());
        } catch (JWTVerificationException e) {
            throw new Refused(401, "invalid token");
        }
        if (jwt.getExpiresAt() == null) {
            throw new Refused(401, "invalid token: exp is required");
        }
        String id = jwt.getClaim("id").asString();
        String role = jwt.getClaim("role").asString();
        List<String> mentorIds;
        try {
            mentorIds = jwt.getClaim("mentorIds").asList(String.class);
        } catch (JWTVerificationException e) {
            mentorIds = null;
        }
        if (id == null || id.isBlank() || role == null || mentorIds == null) {
            throw new Refused(401, "invalid token: id, role and mentorIds are required");
        }
        return new Caller(id, role, List.copyOf(mentorIds));
    }

    /** {@link Refused} 403 unless the caller may edit {@code mentor}. */
    public void requireEditor(Caller caller, String mentor) {
        if (!caller.mayEdit(mentor)) {
            throw new Refused(403, "not authorized for this mentor");
        }
    }
}
