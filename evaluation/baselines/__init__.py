"""Built-in baselines the model is compared against: hand-written rules and underthesea's NER."""
