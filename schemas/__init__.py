"""The forms as data, answer validation and word counting; imports nothing of ours."""
