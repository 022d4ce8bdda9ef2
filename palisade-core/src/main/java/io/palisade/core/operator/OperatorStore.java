package io.palisade.core.operator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Durable operators and their tokens. */
public interface OperatorStore {

    List<Operator> list();

    Optional<Operator> find(String name);

    /** False when the name is taken. */
    boolean add(Operator operator);

    /** Replaces the stored operator of the same name; false when there is none. */
    boolean update(Operator operator);

    /** Removes the operator and its tokens; false when there was none. */
    boolean remove(String name);

    void addToken(OperatorToken token);

    Optional<OperatorToken> tokenByHash(String hash);

    List<OperatorToken> tokensOf(String operator);

    /** Marks the token revoked; false when there is no such token. */
    boolean revokeToken(String id, Instant now);
}
