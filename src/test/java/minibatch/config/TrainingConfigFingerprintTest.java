package minibatch.config;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settings a checkpoint records (checkpoint.json) carry no password of the data's URL, and a
 * plain data path is recorded as before, so that checkpoints written earlier still resume.
 */
class TrainingConfigFingerprintTest {
    @Test
    void aPasswordInTheDataUrlIsNotRecordedAndDoesNotDecideResumption() {
        String withPassword = TrainingConfig.textbook("s3a://alice:hunter2@bucket/mnist", "out", 100, 1, 2).fingerprint();
        String rotated = TrainingConfig.textbook("s3a://alice:other-pw@bucket/mnist", "out", 100, 1, 2).fingerprint();
        assertFalse(withPassword.contains("hunter2"), withPassword);
        assertTrue(withPassword.startsWith("data=s3a://alice:" + SecretRedaction.REDACTED + "@bucket/mnist;"), withPassword);
        assertEquals(withPassword, rotated, "a new password resumes the same run");
    }

    @Test
    void aPlainPathIsRecordedAsItWas() {
        assertTrue(TrainingConfig.textbook("data/mnist", "out", 100, 1, 2).fingerprint()
                .startsWith("data=data/mnist;hidden=[50];activation=SIGMOID;"));
    }
}
