package io.tributary.common.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.proto.v1.ErrorCode;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ErrorsTest {

    @Test
    void everyWireCodeExceptUnspecifiedAndNoneMapsToAnExceptionThatRoundTrips() {
        Set<ErrorCode> mapped = new HashSet<>();
        Errors.mappedCodes().forEach(mapped::add);
        for (ErrorCode code : ErrorCode.values()) {
            if (code == ErrorCode.UNRECOGNIZED || code == ErrorCode.ERROR_CODE_UNSPECIFIED
                    || code == ErrorCode.ERROR_CODE_NONE) {
                continue;
            }
            assertTrue(mapped.contains(code), "no exception registered for " + code);
            ApiException e = Errors.exceptionFor(code, "why");
            assertEquals(code, e.errorCode());
            assertEquals(code, Errors.codeFor(e));
            assertEquals("why", e.getMessage());
        }
    }

    @Test
    void noneMeansNoException() {
        assertNull(Errors.exceptionFor(ErrorCode.ERROR_CODE_NONE, ""));
    }

    @Test
    void foreignThrowablesBecomeUnknownServerErrorAndWrappersAreStripped() {
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR, Errors.codeFor(new IllegalStateException("x")));
        assertEquals(ErrorCode.ERROR_CODE_RECORD_TOO_LARGE,
                Errors.codeFor(new CompletionException(new RecordTooLargeException("big"))));
        assertInstanceOf(UnknownServerException.class, Errors.exceptionFor(ErrorCode.ERROR_CODE_UNSPECIFIED, "?"));
    }

    @Test
    void retriableSplitFollowsTheHierarchy() {
        assertTrue(new NotLeaderOrFollowerException("x").isRetriable());
        assertTrue(!new CorruptRecordException("x").isRetriable());
    }
}
