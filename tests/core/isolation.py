FACTORIES = {"stage": lambda coalition: "assess"}
